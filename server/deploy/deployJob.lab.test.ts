import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLabRootPassword, readLabState, type LabState } from "@/lab/state";
import { serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import type { RunView } from "@/lib/runs/runView";
import { labDeployPlanUpdate } from "../testing/labPlan";
import { LAB_SERVICE_SECRETS } from "../testing/labSecrets";
import { createTestContext } from "../testing/testContext";

const secrets = LAB_SERVICE_SECRETS;
const SERVICE_PORTS = [3306, 5672, 25672, 15672, 11211, 2379, 2380, 5000, 9292];

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let lab: LabState;
let planId: string;

async function deploy(): Promise<{ run: RunView; seconds: number }> {
  const started = Date.now();
  const { run } = await ctx.deploy.start((await ctx.plans.loadForRun(planId))!);
  await ctx.deploy.idle();
  return { run: (await ctx.runs.get(run.id))!, seconds: (Date.now() - started) / 1000 };
}

/** On failure, the failed step's error and log tail say why. */
async function explain(run: RunView): Promise<string> {
  const failed = run.stepRuns.filter((s) => s.status !== "succeeded" && s.status !== "skipped");
  const tails = await Promise.all(
    failed.slice(0, 3).map(async (s) => {
      const lines = await ctx.db.logLine.findMany({ where: { stepRunId: s.id }, orderBy: { seq: "desc" }, take: 30 });
      return `${s.stepKey}@${s.hostName} ${s.status}: ${s.error}\n${lines.reverse().map((l) => `  ${l.text}`).join("\n")}`;
    }),
  );
  return `${run.status}: ${run.error}\n${tails.join("\n")}`;
}

beforeAll(async () => {
  const state = await readLabState();
  if (!state) throw new Error("The lab is down: run `npm run lab:up` (as root) first.");
  lab = state;
  ctx = await createTestContext();
  const plan = await ctx.plans.createTutorialPlan();
  planId = plan.id;
  // The tutorial's scope: its fresh deployment is the one the tutorial's users get, unchanged.
  await ctx.plans.update(planId, labDeployPlanUpdate(plan, lab, (await readLabRootPassword())!, "tutorial"));
});

afterAll(async () => ctx?.dispose());

describe("Deploying debian12-zed on the three-node lab", () => {
  it("runs every phase to an active image, with every service port open from the wizard and from c1", async () => {
    const { run, seconds } = await deploy();
    console.log(`first deployment: ${seconds.toFixed(0)} s`);
    expect(run.status, await explain(run)).toBe("succeeded");
    expect(run.stepRuns.every((s) => s.status === "succeeded" || s.status === "skipped")).toBe(true);

    const checks = await ctx.db.portCheck.findMany({ where: { runId: run.id } });
    for (const port of SERVICE_PORTS) {
      for (const from of ["wizard", "c1"]) {
        expect(checks.some((c) => c.port === port && c.fromHost === from && c.toHost === "ct" && c.open), `port ${port} from ${from}`).toBe(true);
      }
    }
    const log = (await ctx.db.logLine.findMany({ where: { runId: run.id } })).map((l) => l.text).join("\n");
    expect(log).toMatch(/active/);
    for (const value of Object.values(secrets)) expect(log).not.toContain(value);
  });

  it("runs again with every step skipped, in under a minute", async () => {
    const { run, seconds } = await deploy();
    console.log(`re-run: ${seconds.toFixed(1)} s`);
    expect(run.status, await explain(run)).toBe("succeeded");
    // Only the closing verification runs every time.
    expect(run.stepRuns.filter((s) => s.status !== "skipped").map((s) => `${s.stepKey}@${s.hostName}`)).toEqual(["verify.openstack@ct"]);
    const verification = run.stepRuns.find((s) => s.stepKey === "verify.openstack")!.result as { verifyOutput: string[] };
    expect(verification.verifyOutput.join("\n")).toMatch(/expires/);
    expect(verification.verifyOutput.join("\n")).toMatch(/cirros.*active/);
    expect(seconds).toBeLessThan(60);
  });

  it("applies a changed ADMIN_PASS to Keystone on a deployed plan (the admin password is reset, not refused)", async () => {
    const changed = "a changed admin password 1!";
    await ctx.plans.update(planId, { secrets: { [serviceSecretKey("ADMIN_PASS")]: changed } });
    try {
      const { run, seconds } = await deploy();
      console.log(`re-run with a changed ADMIN_PASS: ${seconds.toFixed(1)} s`);
      expect(run.status, await explain(run)).toBe("succeeded");
      expect(run.stepRuns.some((s) => s.stepKey.startsWith("keystone.") && s.status === "succeeded")).toBe(true);
      const stored = (await ctx.db.logLine.findMany({ where: { runId: run.id } })).map((l) => l.text).join("\n");
      expect(stored).not.toContain(changed);
    } finally {
      await ctx.plans.update(planId, { secrets: { [serviceSecretKey("ADMIN_PASS")]: secrets.ADMIN_PASS } });
    }
  });

  it("names the cause when the plan's SSH password is wrong; fixed in the plan, the run resumes to the end", async () => {
    const rootPassword = (await readLabRootPassword())!;
    const wrong = "not the lab's root password 1!";
    await ctx.plans.update(planId, { secrets: { "ssh.shared.password": wrong } });
    const { run } = await deploy();
    expect(run.status, await explain(run)).toBe("failed");
    const failed = run.stepRuns.filter((s) => s.status === "failed");
    expect(failed.map((s) => s.hostName).sort()).toEqual(["c1", "c2", "ct"]);
    expect(failed[0].error).toMatch(/refused the password: check the user name and the password on the credentials page/);
    const triage = (failed[0].result as { triage: { hint: string | null } }).triage;
    expect(triage.hint).toMatch(/refused StackPilot's SSH login/);

    // The operator fixes the password and resumes: the plan change is listed first.
    await ctx.plans.update(planId, { secrets: { "ssh.shared.password": rootPassword } });
    const refused = await ctx.deploy.resume(run.id, (await ctx.plans.loadForRun(planId))!).catch((e: unknown) => e);
    expect((refused as { details: { planChanges: { what: string }[] } }).details.planChanges.map((c) => c.what)).toEqual(["shared SSH password"]);
    const started = Date.now();
    await ctx.deploy.resume(run.id, (await ctx.plans.loadForRun(planId))!, { acceptPlanChanges: true });
    await ctx.deploy.idle();
    const resumed = (await ctx.runs.get(run.id))!;
    console.log(`resume to the end (every step already done): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(resumed.status, await explain(resumed)).toBe("succeeded");
    expect(resumed.stepRuns.find((s) => s.id === failed[0].id)!.attempt).toBe(2);

    const stored = (await ctx.db.logLine.findMany({ where: { runId: run.id } })).map((l) => l.text).join("\n");
    expect(stored).not.toContain(wrong);
    expect(stored).not.toContain(rootPassword);
  });
});
