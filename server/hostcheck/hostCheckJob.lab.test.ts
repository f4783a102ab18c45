import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLabRootPassword, readLabState, type LabState } from "@/lab/state";
import type { HostCheckResult } from "@/lib/hostcheck/hostCheckResult";
import { localLabPlanUpdate } from "../lab/localLabPlan";
import { createTestContext } from "../testing/testContext";

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let lab: LabState;

beforeAll(async () => {
  const state = await readLabState();
  if (!state) throw new Error("The lab is down: run `npm run lab:up` (as root) first.");
  lab = state;
  ctx = await createTestContext();
});

afterAll(async () => ctx?.dispose());

describe("Check hosts on the three-node lab", () => {
  it("sees three real hosts: different hostnames, machine ids and IPs, each resolving the others", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    await ctx.plans.update(plan.id, localLabPlanUpdate(plan, lab, (await readLabRootPassword())!, randomUUID));
    const started = await ctx.hostCheck.start((await ctx.plans.loadForRun(plan.id))!);
    await ctx.hostCheck.idle();
    const run = (await ctx.runs.get(started.id))!;

    expect(run.stepRuns.map((s) => [s.hostName, s.status, s.error])).toEqual([
      ["ct", "succeeded", null],
      ["c1", "succeeded", null],
      ["c2", "succeeded", null],
    ]);
    const results = run.stepRuns.map((s) => s.result as HostCheckResult);
    expect(results.map((r) => r.facts.hostname)).toEqual(["ct", "c1", "c2"]);
    expect(new Set(results.map((r) => r.facts.machineId)).size).toBe(3);
    expect(new Set(results.map((r) => r.hostKeyFingerprint)).size).toBe(3);
    results.forEach((r, i) => {
      const host = lab.hosts[i];
      expect(r.facts.osId).toBe("debian");
      expect(r.facts.localIps[host.managementIp]).toBe(true);
      const others = lab.hosts.filter((h) => h.name !== host.name);
      for (const other of others) expect(r.facts.resolves[other.name]).toContain(other.managementIp);
      expect(r.findings.filter((f) => f.id.startsWith("resolve.")).every((f) => f.level === "ok")).toBe(true);
      expect(r.findings.find((f) => f.id === "os")?.level).toBe("ok");
      // The lab's hosts share this machine's CPU: without its vmx/svm flag no guest of theirs runs
      // at hardware speed, whatever /dev/kvm they are given. Either way the probe says why.
      const virtualization = r.facts.virtualization!;
      expect(virtualization.cpuFlag).toBe(cpuFlagHere);
      if (cpuFlagHere === null) expect(virtualization.kvmUsable).toBe(false);
      expect(virtualization.reason).toMatch(/\S/);
      expect(r.virtType).toBe(virtualization.kvmUsable ? "kvm" : "qemu");
      expect(r.findings.some((f) => f.id === "virtualization")).toBe(host.role === "compute");
    });
  });
});

const cpuFlagHere = /\b(vmx|svm)\b/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? null;
