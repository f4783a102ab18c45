import { z } from "zod";
import { validatePlan } from "@/lib/plan/validatePlan";
import { ApiError, apiHandler, notFound, readJson } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

const resumeSchema = z.object({
  /** Retry just this step run, then pause. */
  onlyStepRunId: z.string().min(1).optional(),
  /** Go on although the plan changed since the run started (the 409 answer listed the changes). */
  acceptPlanChanges: z.boolean().optional(),
});

/**
 * Resumes a stopped deployment from its first unfinished step with the plan as it is now (202).
 * 409 with `planChanges` when the plan changed and the changes were not accepted yet.
 */
export const POST = apiHandler<{ runId: string }>(async ({ request, params, ctx }) => {
  const options = resumeSchema.parse(await readJson(request));
  const run = await ctx.runs.get(params.runId);
  if (!run || run.kind !== "deploy") throw notFound("Deployment");
  const plan = await ctx.plans.loadForRun(run.planId);
  if (!plan) throw notFound("Plan");
  const issues = validatePlan(plan.view);
  if (issues.length > 0) throw new ApiError(400, { error: "The plan is not complete yet.", issues });
  return Response.json(await ctx.deploy.resume(run.id, plan, options), { status: 202 });
});
