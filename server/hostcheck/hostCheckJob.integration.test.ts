import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostCheckResult } from "@/lib/hostcheck/hostCheckResult";
import type { PlanView } from "@/lib/plan/planView";
import { sshSecretKey } from "@/lib/plan/secretKeys";
import type { RunView } from "@/lib/runs/runView";
import { startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { createTestContext } from "../testing/testContext";

// Loopback addresses of this suite's own sshd instances and silent listener.
const GOOD = "127.0.0.121";
const WRONG_PASSWORD = "127.0.0.122";
const CLOSED = "127.0.0.123";
const SILENT = "127.0.0.124";
const PORT = 2222;

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let good: LoopbackSshd;
let other: LoopbackSshd;
let silent: net.Server;
const silentSockets = new Set<net.Socket>();

beforeAll(async () => {
  ctx = await createTestContext({ SSH_READY_TIMEOUT_MS: 2000 });
  good = await startLoopbackSshd({ address: GOOD, port: PORT, user: "sp-hostcheck" });
  other = await startLoopbackSshd({ address: WRONG_PASSWORD, port: PORT, user: "sp-hostcheck2" });
  // Accepts TCP and never says a word: what a half-dead host looks like.
  silent = net.createServer((socket) => silentSockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(PORT, SILENT, resolve));
});

afterAll(async () => {
  await ctx?.dispose();
  await good?.stop();
  await other?.stop();
  silentSockets.forEach((s) => s.destroy());
  silent?.close();
});

function userMayOpen(user: string, file: string): boolean {
  return spawnSync("runuser", ["-u", user, "--", "test", "-r", file, "-a", "-w", file]).status === 0;
}

async function planWithHosts(addresses: string[], passwords: string[]): Promise<PlanView> {
  const plan = await ctx.plans.createTutorialPlan();
  const hosts = plan.hosts.slice(0, addresses.length).map((h, i) => ({ ...h, managementIp: addresses[i], natIp: addresses[i], sshPort: PORT, sshUser: i === 0 ? good.user : other.user }));
  return ctx.plans.update(plan.id, {
    settings: { ...plan.settings, credentialMode: "perHost" },
    hosts: hosts.map(({ passwordSet: _p, privateKeySet: _k, ...h }) => h),
    secrets: Object.fromEntries(hosts.map((h, i) => [sshSecretKey({ scope: "host", hostId: h.id }, "password"), passwords[i]])),
  });
}

async function runCheck(plan: PlanView): Promise<{ run: RunView; lines: string[] }> {
  const started = await ctx.hostCheck.start((await ctx.plans.loadForRun(plan.id))!);
  await ctx.hostCheck.idle();
  const run = (await ctx.runs.get(started.id))!;
  const lines = (await ctx.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } })).map((l) => l.text);
  return { run, lines };
}

describe("Check hosts against real OpenSSH servers", () => {
  it("reports a reachable host's facts, with a password full of quotes and dollars", async () => {
    const plan = await planWithHosts([GOOD], [good.password]);
    const { run, lines } = await runCheck(plan);

    expect(run.status).toBe("succeeded");
    const [step] = run.stepRuns;
    expect(step.status).toBe("succeeded");
    const result = step.result as HostCheckResult;
    expect(result.hostKeyFingerprint).toBe(good.hostKeyFingerprint);
    expect(result.facts.osId).toBe("debian");
    expect(result.facts.localIps[GOOD]).toBe(true);
    expect(result.facts.machineId).toMatch(/^[0-9a-f]{32}$/);
    expect(result.facts.cpus).toBeGreaterThan(0);
    expect(Math.abs(result.facts.clockSkewMs!)).toBeLessThan(1000);
    expect(result.findings.find((f) => f.id === "ip.managementIp")).toMatchObject({ level: "ok" });
    // The /dev/kvm probe ran as the SSH user; its verdict decides virt_type.
    const virtualization = result.facts.virtualization!;
    expect(result.virtType).toBe(virtualization.kvmUsable ? "kvm" : "qemu");
    if (!existsSync("/dev/kvm")) expect(virtualization.reason).toBe("/dev/kvm is missing");
    else if (!userMayOpen(good.user, "/dev/kvm")) expect(virtualization.reason).toBe(`opening /dev/kvm read-write failed: Permission denied (as user ${good.user})`);
    else expect(virtualization.reason).toMatch(/^a test guest /);
    expect(lines[0]).toBe(`Connecting to ${good.user}@${GOOD}:${PORT} …`);
    expect(lines.some((l) => l.startsWith("Connected in "))).toBe(true);
    expect(lines.join("\n")).not.toContain(good.password);
  });

  it("turns a wrong password, a closed port and a silent host into red rows with plain reasons, without hanging", async () => {
    const plan = await planWithHosts([GOOD, WRONG_PASSWORD, CLOSED], [good.password, "not-the-password", "x-x-x-x"]);
    const { run } = await runCheck(plan);
    const byHost = Object.fromEntries(run.stepRuns.map((s) => [s.hostName, s]));
    expect(run.status).toBe("failed");
    expect(run.error).toBe("2 of 3 hosts could not be checked.");
    expect(byHost.ct.status).toBe("succeeded");
    expect(byHost.c1).toMatchObject({ status: "failed", error: expect.stringContaining(`${other.user}@${WRONG_PASSWORD}:${PORT} refused the password`) });
    expect(byHost.c2).toMatchObject({ status: "failed", error: expect.stringContaining(`Connection refused by ${CLOSED}:${PORT}`) });

    const silentPlan = await planWithHosts([SILENT], ["whatever-password"]);
    const started = Date.now();
    const { run: silentRun } = await runCheck(silentPlan);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(silentRun.stepRuns[0]).toMatchObject({ status: "failed", error: expect.stringContaining(`No SSH answer from ${SILENT}:${PORT} within 2 s`) });
  });

  it("publishes each step's moves and every stored line, in seq order", async () => {
    const events: string[] = [];
    const seqs: number[] = [];
    const unsubscribe = ctx.hub.subscribe((e) => {
      if (e.type === "step") events.push(`${e.stepRun.hostName}:${e.stepRun.status}`);
      if (e.type === "status") events.push(`run:${e.run.status}`);
      if (e.type === "lines") seqs.push(...e.lines.map((l) => l.seq));
    });
    const { lines } = await runCheck(await planWithHosts([GOOD], [good.password]));
    unsubscribe();
    expect(events).toEqual(["run:running", "ct:running", "ct:succeeded", "run:succeeded"]);
    expect(seqs).toEqual(lines.map((_, i) => i + 1));
  });
});
