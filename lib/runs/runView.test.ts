import { describe, expect, it } from "vitest";
import { mergeRun, mergeRunSnapshot, type RunView, type StepRunView } from "./runView";

const step = (status: StepRunView["status"], version: number): StepRunView => ({
  id: "s1", runId: "r", stepKey: "preflight.host-check", hostId: "h", hostName: "c1", position: 0, status, attempt: 1,
  exitCode: null, error: null, result: null, startedAt: null, finishedAt: null, version,
});
const run = (status: RunView["status"], version: number, steps: StepRunView[]): RunView => ({
  id: "r", planId: "p", kind: "host-check", status, error: null, createdAt: "", startedAt: null, finishedAt: null, version, stepRuns: steps,
});

describe("mergeRun", () => {
  it("keeps a step's newer state when an older snapshot arrives after its event", () => {
    const afterEvent = mergeRun(run("running", 1, [step("running", 1)]), { stepRun: step("failed", 2) });
    expect(afterEvent.stepRuns[0].status).toBe("failed");
    const afterStaleSnapshot = mergeRunSnapshot(afterEvent, run("running", 1, [step("running", 1)]));
    expect(afterStaleSnapshot.stepRuns[0].status).toBe("failed");
  });

  it("takes a newer snapshot over what it holds, step by step and for the run", () => {
    const held = run("running", 1, [step("running", 1)]);
    const merged = mergeRunSnapshot(held, run("failed", 2, [step("failed", 2)]));
    expect([merged.status, merged.stepRuns[0].status]).toEqual(["failed", "failed"]);
  });

  it("ignores a stale run summary", () => {
    expect(mergeRun(run("succeeded", 3, []), { summary: run("running", 1, []) }).status).toBe("succeeded");
  });
});
