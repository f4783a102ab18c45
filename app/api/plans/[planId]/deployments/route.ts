import { validatePlan } from "@/lib/plan/validatePlan";
import { ApiError, apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/**
 * Starts a deployment and answers with its run at once (202). While one is running for the plan,
 * answers 409 with that run, so a second click from any tab joins it.
 */
export const POST = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  const plan = await ctx.plans.loadForRun(params.planId);
  if (!plan) throw notFound("Plan");
  const issues = validatePlan(plan.view);
  if (issues.length > 0) throw new ApiError(400, { error: "The plan is not complete yet.", issues });
  const { run, alreadyRunning } = await ctx.deploy.start(plan);
  if (alreadyRunning) return Response.json({ error: "A deployment of this plan is already running.", run }, { status: 409 });
  return Response.json(run, { status: 202 });
});
