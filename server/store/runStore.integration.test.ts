import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../realtime/runEventHub";
import { createTestContext } from "../testing/testContext";

let ctx: Awaited<ReturnType<typeof createTestContext>>;
const events: RunEvent[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.hub.subscribe((event) => events.push(event));
});

afterAll(async () => ctx?.dispose());

async function newRun() {
  const plan = await ctx.plans.createTutorialPlan();
  return ctx.runs.create({
    plan: { view: plan, secretsSetAt: {} },
    kind: "deploy",
    steps: [
      { stepKey: "a", hostId: "h1", hostName: "ct" },
      { stepKey: "b", hostId: "h1", hostName: "ct" },
      { stepKey: "c", hostId: "h1", hostName: "ct" },
    ],
  });
}

describe("RunStore (real SQLite)", () => {
  it("moves a step only along the transition table, counts attempts and publishes each stored move", async () => {
    const run = await newRun();
    const [a] = run.stepRuns;
    expect(await ctx.runs.moveStep(a.id, "succeeded")).toBeNull(); // pending → succeeded skips running
    expect((await ctx.runs.moveStep(a.id, "running"))?.attempt).toBe(1);
    expect((await ctx.runs.moveStep(a.id, "failed", { error: "boom" }))?.error).toBe("boom");
    expect(await ctx.runs.moveStep(a.id, "running")).toBeNull(); // a failed step must be retried (pending) first
    expect((await ctx.runs.moveStep(a.id, "pending"))?.status).toBe("pending");
    const second = await ctx.runs.moveStep(a.id, "running");
    expect(second).toMatchObject({ attempt: 2, error: null });
    expect((await ctx.runs.moveStep(a.id, "succeeded"))?.status).toBe("succeeded");
    expect(await ctx.runs.moveStep(a.id, "pending")).toBeNull(); // never back from succeeded
    const published = events.filter((e) => e.type === "step" && e.stepRun.id === a.id);
    expect(published.map((e) => (e.type === "step" ? e.stepRun.status : ""))).toEqual(["running", "failed", "pending", "running", "succeeded"]);
  });

  it("after a restart marks the running run and its running step interrupted, and leaves steps that never started pending", async () => {
    const run = await newRun();
    const [a, b, c] = run.stepRuns;
    await ctx.runs.moveRun(run.id, "running");
    await ctx.runs.moveStep(a.id, "running");
    await ctx.runs.moveStep(a.id, "succeeded");
    await ctx.runs.moveStep(b.id, "running");
    expect(await ctx.runs.interruptLeftovers("The server stopped.")).toBeGreaterThanOrEqual(1);
    const after = (await ctx.runs.get(run.id))!;
    expect(after).toMatchObject({ status: "interrupted", error: "The server stopped." });
    expect(after.stepRuns.map((s) => [s.id, s.status])).toEqual([
      [a.id, "succeeded"],
      [b.id, "interrupted"],
      [c.id, "pending"],
    ]);
    expect(after.stepRuns[1].error).toBe("The server stopped.");
  });
});
