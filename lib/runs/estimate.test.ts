import { describe, expect, it } from "vitest";
import { chooseBasis, secondsLeft, snapshotScope, stepsWithoutTime, type BasisCandidate } from "./estimate";
import type { StepRunView } from "./runView";

const T0 = Date.parse("2026-12-07T10:00:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

const TUTORIAL_STEPS = ["preflight.system", "keystone.install", "glance.install", "verify.openstack"];
const COMPUTE_STEPS = [...TUTORIAL_STEPS.slice(0, -1), "placement.install", "nova.install", "nova-compute.install", "verify.openstack", "verify.compute"];

/** An earlier deployment whose steps each took `seconds` (the first `done` of them; the rest never ran). */
function candidate(runId: string, scope: BasisCandidate["scope"], keys: string[], options: { planId?: string; seconds?: number; done?: number } = {}): BasisCandidate {
  const seconds = options.seconds ?? 10;
  return {
    runId,
    planId: options.planId ?? "plan",
    finishedAt: at(1000),
    scope,
    stepRuns: keys.map((stepKey, i) =>
      i < (options.done ?? keys.length) ? { stepKey, status: "succeeded", startedAt: at(i * seconds), finishedAt: at((i + 1) * seconds) } : { stepKey, status: "pending", startedAt: null, finishedAt: null },
    ),
  };
}

const computeRun = { planId: "plan", scope: "compute" as const, stepKeys: COMPUTE_STEPS };

describe("chooseBasis", () => {
  it("never takes a deployment of another scope: a tutorial run has no time for any Nova step", () => {
    expect(chooseBasis(computeRun, [candidate("tutorial", "tutorial", TUTORIAL_STEPS)])).toEqual({ basedOn: null, seconds: {} });
    const estimate = chooseBasis(computeRun, [candidate("tutorial", "tutorial", TUTORIAL_STEPS), candidate("other-plan", "compute", COMPUTE_STEPS, { planId: "other" })]);
    expect(estimate.basedOn).toEqual({ runId: "other-plan", samePlan: false, finishedAt: at(1000) });
    expect(Object.keys(estimate.seconds)).toEqual(COMPUTE_STEPS);
    // And the other way round: a tutorial run is estimated from a tutorial run.
    const tutorial = chooseBasis({ planId: "plan", scope: "tutorial", stepKeys: TUTORIAL_STEPS }, [candidate("compute", "compute", COMPUTE_STEPS), candidate("older", "tutorial", TUTORIAL_STEPS)]);
    expect(tutorial.basedOn?.runId).toBe("older");
  });

  it("takes the first deployment whose times cover every step, over a newer one that stopped early", () => {
    const stopped = candidate("newer-stopped", "compute", COMPUTE_STEPS, { done: 4 });
    const whole = candidate("older-whole", "compute", COMPUTE_STEPS, { planId: "other" });
    expect(chooseBasis(computeRun, [stopped, whole]).basedOn?.runId).toBe("older-whole");
    expect(chooseBasis(computeRun, [whole, candidate("also-whole", "compute", COMPUTE_STEPS)]).basedOn?.runId).toBe("older-whole");
  });

  it("takes the one that covers the most when none covers all, and none that covers nothing", () => {
    const little = candidate("little", "compute", COMPUTE_STEPS, { done: 2 });
    const more = candidate("more", "compute", COMPUTE_STEPS, { done: 6 });
    const estimate = chooseBasis(computeRun, [little, more, candidate("less", "compute", COMPUTE_STEPS, { done: 3 })]);
    expect(estimate.basedOn?.runId).toBe("more");
    expect(Object.keys(estimate.seconds)).toHaveLength(6);
    expect(chooseBasis(computeRun, [candidate("drill", "compute", ["drill.gate", "drill.long"])]).basedOn).toBeNull();
  });
});

describe("stepsWithoutTime", () => {
  let ids = 0;
  const stepRun = (stepKey: string, status: StepRunView["status"]): StepRunView => ({
    id: `s${++ids}`, runId: "r", stepKey, hostId: "ct", hostName: "ct", position: ids, status, attempt: 0, exitCode: null, error: null, result: null, startedAt: null, finishedAt: null, version: 1,
  });

  it("counts the steps still to go that the basis has no time for, so the time left is a lower bound", () => {
    const run = { stepRuns: [stepRun("keystone.install", "succeeded"), stepRun("glance.install", "pending"), stepRun("nova.install", "pending"), stepRun("verify.compute", "pending"), stepRun("verify.compute", "pending")] };
    const estimate = { basedOn: { runId: "old", samePlan: true, finishedAt: at(0) }, seconds: { "keystone.install": 50, "glance.install": 40 } };
    expect(secondsLeft(run, estimate, T0)).toBe(40);
    expect(stepsWithoutTime(run, estimate)).toBe(2);
    expect(stepsWithoutTime(run, { ...estimate, seconds: { ...estimate.seconds, "nova.install": 1, "verify.compute": 1 } })).toBe(0);
    expect(stepsWithoutTime(run, { basedOn: null, seconds: {} })).toBe(0);
  });
});

describe("snapshotScope", () => {
  it("reads the scope a run ran from its plan snapshot; one from before scopes ran the tutorial", () => {
    expect(snapshotScope(JSON.stringify({ settings: { scope: "compute" } }))).toBe("compute");
    expect(snapshotScope(JSON.stringify({ settings: { scope: "tutorial" } }))).toBe("tutorial");
    expect(snapshotScope(JSON.stringify({ settings: { ntpServer: "ntp" } }))).toBe("tutorial");
    expect(snapshotScope(JSON.stringify({ settings: { scope: "everything" } }))).toBe("tutorial");
    expect(snapshotScope("{not json")).toBe("tutorial");
    expect(snapshotScope(null)).toBe("tutorial");
  });
});
