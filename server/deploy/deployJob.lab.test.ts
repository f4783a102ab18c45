import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLabRootPassword, readLabState, type LabState } from "@/lab/state";
import { SERVICE_SECRETS, serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import type { RunView } from "@/lib/runs/runView";
import { localLabPlanUpdate } from "../lab/localLabPlan";
import { createTestContext } from "../testing/testContext";

// The characters that break naive quoting, and letters outside ASCII, in every service password.
const secrets = Object.fromEntries(SERVICE_SECRETS.map((name, i) => [name, `${name.toLowerCase()} '"$\`\\;&|<> ü密${i}`]));
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
  const update = localLabPlanUpdate(plan, lab, (await readLabRootPassword())!, randomUUID);
  await ctx.plans.update(planId, {
    ...update,
    settings: { ...update.settings!, managementCidr: lab.managementSubnet },
    secrets: { ...update.secrets, ...Object.fromEntries(Object.entries(secrets).map(([name, value]) => [serviceSecretKey(name as never), value])) },
  });
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
    expect(run.stepRuns.filter((s) => s.status !== "skipped").map((s) => `${s.stepKey}@${s.hostName}`)).toEqual([]);
    expect(seconds).toBeLessThan(60);
  });

  it("names the cause when the plan's admin password no longer matches Keystone's; set back, the run resumes to the end", async () => {
    const wrong = "not the admin password Keystone has 1!";
    await ctx.plans.update(planId, { secrets: { [serviceSecretKey("ADMIN_PASS")]: wrong } });
    const { run } = await deploy();
    expect(run.status, await explain(run)).toBe("failed");
    const failed = run.stepRuns.find((s) => s.status === "failed")!;
    expect(failed.stepKey).toMatch(/^keystone\./);
    const triage = (failed.result as { triage: { hint: string | null; sections: { title: string }[] } }).triage;
    console.log(`failed at ${failed.stepKey}: ${failed.error}\nhint: ${triage.hint}`);
    expect(triage.hint).toMatch(/ADMIN_PASS/);
    expect(triage.sections.length).toBeGreaterThan(0);

    // The operator puts the right password back and resumes: the plan change is listed first.
    await ctx.plans.update(planId, { secrets: { [serviceSecretKey("ADMIN_PASS")]: secrets.ADMIN_PASS } });
    const refused = await ctx.deploy.resume(run.id, (await ctx.plans.loadForRun(planId))!).catch((e: Error & { details?: { planChanges?: { what: string }[] } }) => e);
    expect((refused as { details: { planChanges: { what: string }[] } }).details.planChanges.map((c) => c.what)).toEqual(["password ADMIN_PASS"]);
    const started = Date.now();
    await ctx.deploy.resume(run.id, (await ctx.plans.loadForRun(planId))!, { acceptPlanChanges: true });
    await ctx.deploy.idle();
    const resumed = (await ctx.runs.get(run.id))!;
    console.log(`resume to the end: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(resumed.status, await explain(resumed)).toBe("succeeded");
    expect(resumed.stepRuns.find((s) => s.id === failed.id)!.attempt).toBe(2);

    const stored = (await ctx.db.logLine.findMany({ where: { runId: run.id } })).map((l) => l.text).join("\n");
    expect(stored).not.toContain(wrong);
    expect(JSON.stringify(resumed)).not.toContain(wrong);
  });
});
