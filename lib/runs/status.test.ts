import { describe, expect, it } from "vitest";
import { isResumable, isStepDone, RUN_STATUSES, runStatusesBefore, STEP_STATUSES, STEP_TRANSITIONS, stepStatusesBefore } from "./status";

describe("step transitions", () => {
  it("never lets a step that ran to the end run again", () => {
    expect(stepStatusesBefore("running")).toEqual(["pending"]);
    expect(STEP_TRANSITIONS.succeeded).toEqual([]);
    expect(STEP_TRANSITIONS.skipped).toEqual([]);
  });

  it("lets an unfinished step be retried (back to pending) or marked done by hand, and only those", () => {
    expect(stepStatusesBefore("pending").sort()).toEqual(["cancelled", "failed", "interrupted", "manual"]);
    expect(stepStatusesBefore("manual").sort()).toEqual(["cancelled", "failed", "interrupted", "pending"]);
  });

  it("counts succeeded, skipped and done by hand as done", () => {
    expect(STEP_STATUSES.filter(isStepDone)).toEqual(["succeeded", "skipped", "manual"]);
  });
});

describe("run transitions", () => {
  it("resumes a failed, cancelled, interrupted or paused run, never a succeeded or a pending one", () => {
    expect(RUN_STATUSES.filter(isResumable)).toEqual(["failed", "cancelled", "interrupted", "paused"]);
    expect(runStatusesBefore("running")).toEqual(["pending", "failed", "cancelled", "interrupted", "paused"]);
  });
});
