import { describe, expect, it } from "vitest";
import { ActiveRuns } from "./activeRuns";

describe("ActiveRuns", () => {
  it("gives a plan's slot to one caller at a time, synchronously", () => {
    const active = new ActiveRuns("Test");
    const first = active.reserve("plan");
    expect(first).not.toBeNull();
    expect(active.reserve("plan")).toBeNull();
    expect(active.reserve("other plan")).not.toBeNull();
  });

  it("tells a second caller the run id once the first has set its run up, and frees the slot when the work ends", async () => {
    const active = new ActiveRuns("Test");
    const reservation = active.reserve("plan")!;
    const seen = active.runIdFor("plan");
    let finish!: () => void;
    reservation.track("run-1", new Promise<void>((r) => (finish = r)));
    expect(await seen).toBe("run-1");
    finish();
    await active.idle();
    expect(active.isBusy("plan")).toBe(false);
    expect(await active.runIdFor("plan")).toBeNull();
  });

  it("frees the slot when setting up fails", async () => {
    const active = new ActiveRuns("Test");
    const reservation = active.reserve("plan")!;
    const seen = active.runIdFor("plan");
    reservation.release();
    expect(await seen).toBeNull();
    expect(active.reserve("plan")).not.toBeNull();
  });
});
