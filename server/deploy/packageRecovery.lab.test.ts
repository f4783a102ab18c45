import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readLabRootPassword, readLabState } from "@/lab/state";
import type { RunView, StepRunView } from "@/lib/runs/runView";
import { LAB_PACKAGES, LAB_PACKAGE_STEP, labPackageHost, labPackagePlaybook, type LabPackageHost } from "../testing/labPackages";
import { labDeployPlanUpdate } from "../testing/labPlan";
import { createTestContext } from "../testing/testContext";

/**
 * An install cut off on a real lab host — the run cancelled, or dpkg killed -9 — is repaired by
 * the next attempt of the step. The playbook is one package step (vim and NumPy on ct) built by
 * the same function the real install steps use, so it carries the real recovery
 * (server/testing/labPackages.ts).
 */
let ct: LabPackageHost;
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let planId: string;

async function planForRun() {
  return (await ctx.plans.loadForRun(planId))!;
}

async function finished(runId: string): Promise<RunView> {
  await ctx.deploy.idle();
  return (await ctx.runs.get(runId))!;
}

const packageStep = (view: RunView): StepRunView => view.stepRuns.find((s) => s.stepKey === LAB_PACKAGE_STEP && s.hostName === "ct")!;

async function stepLog(stepRunId: string): Promise<string> {
  await ctx.logs.flush();
  return (await ctx.db.logLine.findMany({ where: { stepRunId }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
}

/** Starts a run and waits until dpkg is installing; resolves with the run's id. */
async function startAndWaitForDpkg(): Promise<string> {
  const { run: started } = await ctx.deploy.start(await planForRun());
  await ct.dpkgAtWork();
  return started.id;
}

/** Resumes the run: the step's next attempt succeeds, repairing dpkg first, and ct's package database is clean. */
async function expectResumeRepairs(runId: string) {
  const started = Date.now();
  await ctx.deploy.resume(runId, await planForRun());
  const after = await finished(runId);
  console.log(`resume with the repair: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const step = packageStep(after);
  const log = await stepLog(step.id);
  expect(after.status, `${step.error}\n${log}`).toBe("succeeded");
  expect(step).toMatchObject({ status: "succeeded", attempt: 2 });
  expect(log).toContain("Recovering an interrupted package install: dpkg --force-confdef --force-confold --configure -a");
  expect(await ct.audit()).toBe("");
  const installed = await ct.installed();
  for (const name of LAB_PACKAGES) expect(installed.has(name), name).toBe(true);
}

beforeAll(async () => {
  const lab = await readLabState();
  if (!lab) throw new Error("The lab is down: run `npm run lab:up` (as root) first.");
  ct = await labPackageHost(lab);
  ctx = await createTestContext({}, { playbookFor: labPackagePlaybook });
  const plan = await ctx.plans.createTutorialPlan();
  planId = plan.id;
  await ctx.plans.update(planId, labDeployPlanUpdate(plan, lab, (await readLabRootPassword())!));
});

beforeEach(async () => {
  await ct.purge();
  expect(await ct.audit()).toBe("");
  await ct.download();
});

afterAll(async () => {
  await ctx?.deploy.idle();
  await ct?.restore();
  await ctx?.dispose();
});

describe("A package step cut off on a lab host", () => {
  it("cancelled while dpkg installs: the resumed step repairs dpkg and installs", async () => {
    const runId = await startAndWaitForDpkg();
    expect(await ctx.deploy.cancel(runId)).toBe(true);
    const cancelled = await finished(runId);
    expect(packageStep(cancelled).status).toBe("cancelled");
    // Cancel stopped dpkg too (apt runs it without a pty, so in the step's process group).
    expect(await ct.packageProcesses()).toBe("");
    // Left as the issue found it: apt would refuse with "dpkg was interrupted".
    expect(await ct.audit()).not.toBe("");

    await expectResumeRepairs(runId);
  });

  it("dpkg and apt-get killed -9 on the host mid-install: the retried step repairs dpkg and installs", async () => {
    const runId = await startAndWaitForDpkg();
    await ct.killPackageManager();
    const failed = await finished(runId);
    expect(packageStep(failed).status).toBe("failed");
    expect(await ct.audit()).not.toBe("");

    await expectResumeRepairs(runId);
  });

  it("waits for another live apt-get on the host to finish, without stopping it, then installs", async () => {
    // Someone else's install, running when the step starts.
    await ct.run(`DEBIAN_FRONTEND=noninteractive setsid apt-get install -y -q --no-install-recommends ${LAB_PACKAGES.join(" ")} >/tmp/sp-other-apt.log 2>&1 < /dev/null & sleep 0.3`);
    const { run: started } = await ctx.deploy.start(await planForRun());
    const after = await finished(started.id);
    const step = packageStep(after);
    const log = await stepLog(step.id);
    expect(after.status, `${step.error}\n${log}`).toBe("succeeded");
    expect(log).toMatch(/Waiting up to 300 s for process \d+ \((apt-get|dpkg)\) to release the package manager's lock\./);
    expect(log).not.toContain("Recovering an interrupted package install");
    // The other apt-get ran to its end.
    expect(await ct.run("tail -n 20 /tmp/sp-other-apt.log; rm -f /tmp/sp-other-apt.log")).toMatch(/Setting up python3-numpy /);
  });
});
