import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanView } from "@/lib/plan/planView";
import type { PlaybookScope } from "@/lib/playbook/scope";
import { createTestContext } from "../testing/testContext";

let ctx: Awaited<ReturnType<typeof createTestContext>>;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => ctx?.dispose());

const TUTORIAL_STEPS = ["keystone.install", "glance.install"];
const COMPUTE_STEPS = [...TUTORIAL_STEPS, "nova.install"];

/** A deployment of the plan as the scope runs it, steps on ct; each step succeeds but `failAt`, which fails and ends the run. */
async function deployment(plan: PlanView, scope: PlaybookScope, stepKeys: string[], failAt?: string) {
  const view = { ...plan, settings: { ...plan.settings, scope } };
  const run = await ctx.runs.create({ plan: { view, secretsSetAt: {} }, kind: "deploy", steps: stepKeys.map((stepKey) => ({ stepKey, hostId: "h-ct", hostName: "ct" })) });
  await ctx.runs.moveRun(run.id, "running");
  for (const s of run.stepRuns) {
    await ctx.runs.moveStep(s.id, "running");
    await ctx.runs.moveStep(s.id, s.stepKey === failAt ? "failed" : "succeeded");
    if (s.stepKey === failAt) break;
  }
  await ctx.runs.moveRun(run.id, failAt ? "failed" : "succeeded");
  // createdAt orders the deployments.
  await new Promise((resolve) => setTimeout(resolve, 5));
  return run;
}

/** A deployment just started: its steps all pending. */
async function started(plan: PlanView, scope: PlaybookScope, stepKeys: string[]) {
  const view = { ...plan, settings: { ...plan.settings, scope } };
  return ctx.runs.create({ plan: { view, secretsSetAt: {} }, kind: "deploy", steps: stepKeys.map((stepKey) => ({ stepKey, hostId: "h-ct", hostName: "ct" })) });
}

/** A run's snapshot as a run from before scopes wrote it: no scope in its settings. */
async function withoutScope(runId: string) {
  const snapshot = JSON.parse((await ctx.runs.planSnapshot(runId))!) as { settings: Record<string, unknown> };
  delete snapshot.settings.scope;
  await ctx.db.run.update({ where: { id: runId }, data: { planSnapshot: JSON.stringify(snapshot) } });
}

describe("RunHistory.estimate per scope (real SQLite)", () => {
  it("estimates a compute deployment from one of the same scope whose times cover its steps, never from a tutorial one", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    const other = await ctx.plans.createTutorialPlan();
    const tutorial = await deployment(plan, "tutorial", TUTORIAL_STEPS);
    // Written before scopes: read as the tutorial.
    await withoutScope(tutorial.id);
    const otherCompute = await deployment(other, "compute", COMPUTE_STEPS);
    // This plan's newer compute deployment stopped before Nova.
    const stopped = await deployment(plan, "compute", COMPUTE_STEPS, "nova.install");

    const now = await started(plan, "compute", COMPUTE_STEPS);
    const estimate = await ctx.runHistory.estimate(now.id);
    expect(estimate?.basedOn).toMatchObject({ runId: otherCompute.id, samePlan: false });
    expect(Object.keys(estimate!.seconds).sort()).toEqual([...COMPUTE_STEPS].sort());

    // Without the other plan's deployment, the stopped one is the best there is: Nova has no time.
    await ctx.db.run.delete({ where: { id: otherCompute.id } });
    const partial = await ctx.runHistory.estimate(now.id);
    expect(partial?.basedOn).toMatchObject({ runId: stopped.id, samePlan: true });
    expect(Object.keys(partial!.seconds).sort()).toEqual([...TUTORIAL_STEPS].sort());
  });

  it("estimates a tutorial deployment (its snapshot without a scope) from the tutorial one, not a newer compute one", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    const tutorial = await deployment(plan, "tutorial", TUTORIAL_STEPS);
    await deployment(plan, "compute", COMPUTE_STEPS);
    const now = await started(plan, "tutorial", TUTORIAL_STEPS);
    await withoutScope(now.id);
    expect((await ctx.runHistory.estimate(now.id))?.basedOn).toMatchObject({ runId: tutorial.id, samePlan: true });
  });

  it("has no basis when every earlier deployment is of the other scope", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    await deployment(plan, "tutorial", TUTORIAL_STEPS);
    const now = await started(plan, "compute", COMPUTE_STEPS);
    // Another test's plans (same target system) have compute deployments: make this one's profile its own.
    await ctx.db.plan.update({ where: { id: plan.id }, data: { profile: "debian12-zed" } });
    expect(await ctx.runHistory.estimate(now.id)).toEqual({ basedOn: null, seconds: {} });
  });
});
