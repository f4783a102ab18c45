import { randomUUID } from "node:crypto";
import { readLabRootPassword, readLabState } from "@/lab/state";
import { serviceSecretKey, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import { localLabPlanUpdate } from "@/server/lab/localLabPlan";
import { LAB_SERVICE_SECRETS } from "@/server/testing/labSecrets";
import { createTestContext } from "@/server/testing/testContext";

export type RerunResult =
  | { measured: false; why: string }
  | { measured: true; seconds: number; stepRuns: number; skipped: number; ran: string[]; status: string; freshDeploymentS: number | null };

/**
 * The full OpenStack playbook, through the runner, on the lab as it is: when the lab is deployed
 * already every step is skipped (only the closing verification runs every time). A lab that is
 * up but not deployed yet gets its deployment first (~8 min), timed apart, then the re-run.
 */
export async function measureRerun(): Promise<RerunResult> {
  const lab = await readLabState();
  if (!lab) return { measured: false, why: "the lab is down (`npm run bench -- --only rerun --lab` brings it up, deploys it if needed, measures and takes it down)" };
  const rootPassword = await readLabRootPassword();
  if (!rootPassword) return { measured: false, why: "the lab's root password file is missing" };
  const ctx = await createTestContext();
  try {
    const plan = await ctx.plans.createTutorialPlan();
    const update = localLabPlanUpdate(plan, lab, rootPassword, randomUUID);
    const services = Object.entries(LAB_SERVICE_SECRETS).map(([name, value]) => [serviceSecretKey(name as ServiceSecret), value]);
    await ctx.plans.update(plan.id, { ...update, settings: { ...update.settings!, managementCidr: lab.managementSubnet }, secrets: { ...update.secrets, ...Object.fromEntries(services) } });
    const deploy = async () => {
      const start = process.hrtime.bigint();
      const { run } = await ctx.deploy.start((await ctx.plans.loadForRun(plan.id))!);
      await ctx.deploy.idle();
      return { run: (await ctx.runs.get(run.id))!, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
    };
    let attempt = await deploy();
    const applied = (r: typeof attempt) => r.run.stepRuns.filter((s) => s.status !== "skipped" && s.stepKey !== "verify.openstack");
    let freshDeploymentS: number | null = null;
    if (attempt.run.status === "succeeded" && applied(attempt).length > 0) {
      console.log(`  The lab was not deployed yet: deployed it in ${attempt.seconds.toFixed(0)} s; now the re-run.`);
      freshDeploymentS = attempt.seconds;
      attempt = await deploy();
    }
    const { run, seconds } = attempt;
    if (run.status !== "succeeded") return { measured: false, why: `the deployment on the lab ended ${run.status}: ${run.error}` };
    return {
      measured: true,
      seconds,
      stepRuns: run.stepRuns.length,
      skipped: run.stepRuns.filter((s) => s.status === "skipped").length,
      ran: run.stepRuns.filter((s) => s.status !== "skipped").map((s) => `${s.stepKey}@${s.hostName}`),
      status: run.status,
      freshDeploymentS,
    };
  } finally {
    await ctx.dispose();
  }
}
