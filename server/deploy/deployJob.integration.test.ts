import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import type { RunView, StepRunView } from "@/lib/runs/runView";
import { DeployRefused } from "./deployJob";
import { drillPlanUpdate } from "../testing/drillPlan";
import { drillPlaybook, drillSleepers } from "../testing/drillPlaybook";
import { startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { createTestContext } from "../testing/testContext";

// This suite's own loopback hosts.
const CT = "127.0.0.161";
const C1 = "127.0.0.162";
const PORT = 2222;
const USER = "sp-runner";

const drillDir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-drill-"));
let ct: LoopbackSshd;
let c1: LoopbackSshd;
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let planId: string;

beforeAll(async () => {
  ct = await startLoopbackSshd({ address: CT, port: PORT, user: USER });
  c1 = await startLoopbackSshd({ address: C1, port: PORT, user: USER, password: ct.password });
  execFileSync("chmod", ["777", drillDir]);
  // Short keepalive: a host that dies is noticed within seconds.
  ctx = await createTestContext({ SSH_KEEPALIVE_INTERVAL_MS: 1000, SSH_KEEPALIVE_COUNT_MAX: 3, SSH_READY_TIMEOUT_MS: 3000 }, { playbookFor: drillPlaybook(drillDir) });
  const plan = await ctx.plans.createTutorialPlan();
  planId = plan.id;
  await ctx.plans.update(planId, drillPlanUpdate(plan.settings, [ct, c1], (n) => `${n}-'"$\`-secret`));
});

afterAll(async () => {
  await ctx?.dispose();
  await ct?.stop();
  await c1?.stop();
  rmSync(drillDir, { recursive: true, force: true });
});

beforeEach(() => {
  // Every test starts from fresh hosts.
  execFileSync("find", [drillDir, "-mindepth", "1", "-delete"]);
});

const plan = async () => (await ctx.plans.loadForRun(planId))!;
const steer = (file: string, content = "") => writeFileSync(path.join(drillDir, file), content, { mode: 0o666 });
const openGate = (host: string) => {
  execFileSync("mkdir", ["-p", "-m", "777", path.join(drillDir, host)]);
  steer(`${host}/gate-open`);
};

async function finished(runId: string): Promise<RunView> {
  await ctx.deploy.idle();
  return (await ctx.runs.get(runId))!;
}

function stepOf(run: RunView, stepKey: string, host: string): StepRunView {
  return run.stepRuns.find((s) => s.stepKey === stepKey && s.hostName === host)!;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function logOf(runId: string): Promise<string> {
  const lines = await ctx.db.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" } });
  return lines.map((l) => l.text).join("\n");
}

describe("DeployJob on real SSH hosts", () => {
  it("starts exactly one run for two requests at the same moment", async () => {
    openGate("ct");
    openGate("c1");
    const [a, b] = await Promise.all([ctx.deploy.start(await plan()), ctx.deploy.start(await plan())]);
    expect([a.alreadyRunning, b.alreadyRunning].sort()).toEqual([false, true]);
    expect(a.run.id).toBe(b.run.id);
    expect((await finished(a.run.id)).status).toBe("succeeded");
    expect(await ctx.db.run.count({ where: { planId, id: a.run.id } })).toBe(1);
  });

  it("stops at a failed step, retries one step, takes 'done by hand', asks about plan changes, and resumes to the end", async () => {
    const { run } = await ctx.deploy.start(await plan());
    let after = await finished(run.id);
    expect(after.status).toBe("failed");
    expect(after.error).toBe('Stopped at "Pass the gate" on ct, c1.');
    expect(stepOf(after, "drill.prepare", "ct").status).toBe("succeeded");
    expect(stepOf(after, "drill.gate", "ct")).toMatchObject({ status: "failed", attempt: 1 });
    expect(stepOf(after, "drill.gate", "ct").error).toContain("Access denied for user 'keystone'");
    // The triage names the cause in one sentence and keeps the step's last lines.
    const triage = (stepOf(after, "drill.gate", "ct").result as { triage: { hint: string; lastLines: string[] } }).triage;
    expect(triage.hint).toMatch(/KEYSTONE_DBPASS/);
    expect(triage.lastLines.join("\n")).toContain("Access denied");
    expect(stepOf(after, "drill.long", "ct").status).toBe("pending");

    // The operator fixes ct and retries just that step: it passes, and the run pauses.
    openGate("ct");
    await ctx.deploy.resume(run.id, await plan(), { onlyStepRunId: stepOf(after, "drill.gate", "ct").id });
    after = await finished(run.id);
    expect(after.status).toBe("paused");
    expect(stepOf(after, "drill.gate", "ct")).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(stepOf(after, "drill.gate", "c1").status).toBe("failed");

    // c1 was fixed by hand: recorded as such, with no attempt added.
    after = await ctx.deploy.markDone(run.id, stepOf(after, "drill.gate", "c1").id, planId);
    expect(stepOf(after, "drill.gate", "c1")).toMatchObject({ status: "manual", attempt: 1 });
    expect(await logOf(run.id)).toContain("Marked as done by hand by the operator");
    // A step that succeeded cannot be marked.
    await expect(ctx.deploy.markDone(run.id, stepOf(after, "drill.prepare", "ct").id, planId)).rejects.toThrow(/only an unfinished step/);

    // The plan changed in the meantime: resuming asks first, naming the change.
    const current = await plan();
    await ctx.plans.update(planId, { settings: { ...current.view.settings, ntpServer: "ntp.example.org" }, secrets: { [serviceSecretKey("ADMIN_PASS")]: "a new admin password" } });
    const refusal = await ctx.deploy.resume(run.id, await plan()).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DeployRefused);
    expect((refusal as DeployRefused).details.planChanges).toEqual([
      { what: "NTP server", before: "ntp6.aliyun.com", after: "ntp.example.org" },
      { what: "password ADMIN_PASS", before: "set", after: "changed" },
    ]);
    const started = Date.now();
    await ctx.deploy.resume(run.id, await plan(), { acceptPlanChanges: true });
    const resumedAt = Date.now() - started;
    after = await finished(run.id);
    expect(after.status).toBe("succeeded");
    expect(resumedAt).toBeLessThan(2000);
    // Steps done before were not run again, and the later steps still got the output of an earlier one.
    expect(stepOf(after, "drill.prepare", "ct").attempt).toBe(1);
    expect(readFileSync(path.join(drillDir, "c1/long-done"), "utf8").trim()).toBe("mark-of-c1");
    const log = await logOf(run.id);
    expect(log).toContain("The plan changed since the run started: NTP server, password ADMIN_PASS.");
    expect(log).not.toContain("a new admin password");
    expect(log).toContain("the secret is ••••••, said in two pieces");
  });

  it("cancels a step that sleeps for 300 s: the remote processes are gone before the step says cancelled", async () => {
    openGate("ct");
    openGate("c1");
    steer("long-seconds", "300");
    const { run } = await ctx.deploy.start(await plan());
    await until("the long step to tick", async () => drillSleepers("ct").length > 0 && drillSleepers("c1").length > 0);
    const asked = Date.now();
    expect(await ctx.deploy.cancel(run.id)).toBe(true);
    const after = await finished(run.id);
    const tookMs = Date.now() - asked;
    expect(after.status).toBe("cancelled");
    expect(stepOf(after, "drill.long", "ct")).toMatchObject({ status: "cancelled", error: "Cancelled by the operator." });
    expect(stepOf(after, "drill.flood", "ct").status).toBe("pending");
    expect(drillSleepers("ct")).toEqual([]);
    expect(drillSleepers("c1")).toEqual([]);
    expect(tookMs).toBeLessThan(10_000);
    console.log(`Cancel took ${tookMs} ms until the remote processes were gone.`);

    // Resume: the cancelled step runs again (now short) and the run finishes.
    steer("long-seconds", "1");
    await ctx.deploy.resume(run.id, await plan());
    const resumed = await finished(run.id);
    expect(resumed.status).toBe("succeeded");
    expect(stepOf(resumed, "drill.long", "c1").attempt).toBe(2);
  });

  it("fails with a plain message within the keepalive window when a host dies mid-step, and resumes once it is back", async () => {
    openGate("ct");
    openGate("c1");
    steer("c1/long-seconds", "300");
    const { run } = await ctx.deploy.start(await plan());
    await until("the long step to tick on c1", async () => drillSleepers("c1").length > 0);
    const crashedAt = Date.now();
    await c1.crash();
    const after = await finished(run.id);
    const noticedMs = Date.now() - crashedAt;
    expect(after.status).toBe("failed");
    expect(stepOf(after, "drill.long", "c1").status).toBe("failed");
    expect(stepOf(after, "drill.long", "c1").error).toMatch(/closed the connection|did not answer/);
    expect(stepOf(after, "drill.long", "ct").status).toBe("succeeded");
    expect(noticedMs).toBeLessThan(10_000);

    await c1.restart();
    steer("c1/long-seconds", "0");
    await ctx.deploy.resume(run.id, await plan());
    expect((await finished(run.id)).status).toBe("succeeded");
  });

  it("refuses to resume a run that succeeded, and a run whose hosts changed", async () => {
    openGate("ct");
    openGate("c1");
    const { run } = await ctx.deploy.start(await plan());
    expect((await finished(run.id)).status).toBe("succeeded");
    await expect(ctx.deploy.resume(run.id, await plan())).rejects.toThrow(/has succeeded; there is nothing to resume/);

    execFileSync("find", [drillDir, "-mindepth", "1", "-delete"]);
    const { run: failing } = await ctx.deploy.start(await plan());
    expect((await finished(failing.id)).status).toBe("failed");
    const hosts = (await plan()).view.hosts.map(({ passwordSet: _p, privateKeySet: _k, ...input }) => input);
    await ctx.plans.update(planId, { hosts: hosts.filter((h) => h.role === "controller") });
    try {
      await expect(ctx.deploy.resume(failing.id, await plan(), { acceptPlanChanges: true })).rejects.toThrow(/Hosts were added, removed or given another role/);
    } finally {
      await ctx.plans.update(planId, { hosts });
    }
  });
});
