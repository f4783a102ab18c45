import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readLabRootPassword, readLabState, type LabHost, type LabState } from "@/lab/state";
import { installStep } from "@/lib/playbook/packages";
import type { PlaybookInput } from "@/lib/playbook/playbookInput";
import { DISTRO_FACTS } from "@/lib/playbook/profiles";
import { serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import type { Playbook } from "@/lib/playbook/types";
import type { RunView, StepRunView } from "@/lib/runs/runView";
import { localLabPlanUpdate } from "../lab/localLabPlan";
import { LAB_SERVICE_SECRETS } from "../testing/labSecrets";
import { createTestContext } from "../testing/testContext";

/**
 * An install cut off on a real lab host — the run cancelled, or dpkg killed -9 — is repaired by
 * the next attempt of the step. The playbook is one package step built by the same function the
 * real install steps use (installStep), so it carries the real recovery.
 *
 * vim and NumPy: ten packages, ~3 s of dpkg work on ct, installed by no real step. They are
 * downloaded before each test so the step goes straight to dpkg, and purged after.
 */
const PACKAGES = ["vim", "python3-numpy"];
const STEP_KEY = "drill.packages";

const packagePlaybook = (input: PlaybookInput): Playbook => ({
  profile: input.profile,
  phases: [{ key: "base", title: "Packages", steps: [installStep(DISTRO_FACTS[input.profile], STEP_KEY, "Install vim and NumPy", PACKAGES, 600)] }],
});

const run = promisify(execFile);
let lab: LabState;
let ct: LabHost;
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let planId: string;
/** What apt would autoremove on ct before the suite: not the suite's to purge. */
let autoremovableBefore: Set<string>;
/** What installing the packages adds to ct: the suite's to purge. */
let addedByInstall: string[];

/** Runs a bash script on a lab host as root (on stdin; the password through sshpass's file). */
async function onHost(host: LabHost, script: string, timeoutMs = 120_000): Promise<string> {
  const ssh = ["-f", lab.rootPasswordFile, "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-p", String(host.sshPort)];
  const child = run("sshpass", [...ssh, `${lab.rootUser}@${host.managementIp}`, "bash -s"], { timeout: timeoutMs });
  child.child.stdin!.end(script);
  return (await child).stdout.trim();
}

const autoremovable = async () => new Set((await onHost(ct, "apt-get autoremove -s | awk '$1 == \"Remv\" {print $2}'")).split("\n").filter(Boolean));
const installedPackages = async () => new Set((await onHost(ct, "dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n' | awk '$1 != \"un\" {print $2}'")).split("\n"));
const dpkgAudit = () => onHost(ct, "dpkg --audit; ls -A /var/lib/dpkg/updates");
/** Resolves once dpkg has been at work on ct for a second (the step is mid-install). */
const dpkgAtWork = () => onHost(ct, "timeout 120 bash -c 'until pgrep -x dpkg >/dev/null; do sleep 0.05; done' && sleep 1");

async function planForRun() {
  return (await ctx.plans.loadForRun(planId))!;
}

async function finished(runId: string): Promise<RunView> {
  await ctx.deploy.idle();
  return (await ctx.runs.get(runId))!;
}

const packageStep = (view: RunView): StepRunView => view.stepRuns.find((s) => s.stepKey === STEP_KEY && s.hostName === "ct")!;

async function stepLog(stepRunId: string): Promise<string> {
  await ctx.logs.flush();
  return (await ctx.db.logLine.findMany({ where: { stepRunId }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
}

/** Starts a run and waits until dpkg is installing; resolves with the run's id. */
async function startAndWaitForDpkg(): Promise<string> {
  const { run: started } = await ctx.deploy.start(await planForRun());
  await dpkgAtWork();
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
  expect(await dpkgAudit()).toBe("");
  const installed = await installedPackages();
  for (const name of PACKAGES) expect(installed.has(name), name).toBe(true);
}

beforeAll(async () => {
  const state = await readLabState();
  if (!state) throw new Error("The lab is down: run `npm run lab:up` (as root) first.");
  lab = state;
  ct = lab.hosts.find((h) => h.name === "ct")!;
  autoremovableBefore = await autoremovable();
  addedByInstall = (await onHost(ct, `apt-get install -s -y --no-install-recommends ${PACKAGES.join(" ")} | awk '$1 == "Inst" {print $2}'`)).split("\n").filter(Boolean);
  ctx = await createTestContext({}, { playbookFor: packagePlaybook });
  const plan = await ctx.plans.createTutorialPlan();
  planId = plan.id;
  const update = localLabPlanUpdate(plan, lab, (await readLabRootPassword())!, randomUUID);
  await ctx.plans.update(planId, {
    ...update,
    settings: { ...update.settings!, managementCidr: lab.managementSubnet },
    secrets: { ...update.secrets, ...Object.fromEntries(Object.entries(LAB_SERVICE_SECRETS).map(([name, value]) => [serviceSecretKey(name as never), value])) },
  });
});

/**
 * Purges the packages and the dependencies they brought (also those an earlier, broken run left:
 * what apt would now autoremove and would not before), whatever state a failed test left dpkg in.
 */
async function purgeWhatTheSuiteAdded() {
  await onHost(
    ct,
    [
      "export DEBIAN_FRONTEND=noninteractive",
      "timeout 120 bash -c 'while pgrep -x dpkg >/dev/null || pgrep -x apt-get >/dev/null; do sleep 0.2; done'",
      "dpkg --configure -a >/dev/null 2>&1; apt-get -f install -y -q >/dev/null 2>&1",
      `apt-get purge -y -q ${[...new Set([...PACKAGES, ...addedByInstall])].join(" ")} >/dev/null 2>&1 || true`,
    ].join("\n"),
  );
  const added = [...(await autoremovable())].filter((name) => !autoremovableBefore.has(name));
  if (added.length > 0) await onHost(ct, `DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ${added.join(" ")} >/dev/null`);
}

beforeEach(async () => {
  await purgeWhatTheSuiteAdded();
  expect(await dpkgAudit()).toBe("");
  // In apt's cache beforehand: the step spends its time in dpkg, not downloading.
  await onHost(ct, `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --download-only ${PACKAGES.join(" ")} >/dev/null`);
});

afterAll(async () => {
  await ctx?.deploy.idle();
  if (lab) await purgeWhatTheSuiteAdded();
  await ctx?.dispose();
});

describe("A package step cut off on a lab host", () => {
  it("cancelled while dpkg installs: the resumed step repairs dpkg and installs", async () => {
    const runId = await startAndWaitForDpkg();
    expect(await ctx.deploy.cancel(runId)).toBe(true);
    const cancelled = await finished(runId);
    expect(packageStep(cancelled).status).toBe("cancelled");
    // Cancel stopped dpkg too (apt runs it without a pty, so in the step's process group).
    expect(await onHost(ct, "pgrep -a -x 'dpkg|apt-get' || true")).toBe("");
    // Left as the issue found it: apt would refuse with "dpkg was interrupted".
    expect(await dpkgAudit()).not.toBe("");

    await expectResumeRepairs(runId);
  });

  it("dpkg and apt-get killed -9 on the host mid-install: the retried step repairs dpkg and installs", async () => {
    const runId = await startAndWaitForDpkg();
    await onHost(ct, "pkill -KILL -x dpkg; pkill -KILL -x apt-get; true");
    const failed = await finished(runId);
    expect(packageStep(failed).status).toBe("failed");
    expect(await dpkgAudit()).not.toBe("");

    await expectResumeRepairs(runId);
  });

  it("waits for another live apt-get on the host to finish, without stopping it, then installs", async () => {
    // Someone else's install, running when the step starts.
    await onHost(ct, `DEBIAN_FRONTEND=noninteractive setsid apt-get install -y -q --no-install-recommends ${PACKAGES.join(" ")} >/tmp/sp-other-apt.log 2>&1 < /dev/null & sleep 0.3`);
    const { run: started } = await ctx.deploy.start(await planForRun());
    const after = await finished(started.id);
    const step = packageStep(after);
    const log = await stepLog(step.id);
    expect(after.status, `${step.error}\n${log}`).toBe("succeeded");
    expect(log).toMatch(/Waiting up to 300 s for process \d+ \((apt-get|dpkg)\) to release the package manager's lock\./);
    expect(log).not.toContain("Recovering an interrupted package install");
    // The other apt-get ran to its end.
    expect(await onHost(ct, "tail -n 20 /tmp/sp-other-apt.log")).toMatch(/Setting up python3-numpy /);
  });
});
