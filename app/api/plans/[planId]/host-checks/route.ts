import { blocksHostCheck, validatePlan } from "@/lib/plan/validatePlan";
import { ApiError, apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Starts "Check hosts" (or joins the one under way) and answers with its run at once. */
export const POST = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  const plan = await ctx.plans.loadForRun(params.planId);
  if (!plan) throw notFound("Plan");
  const issues = validatePlan(plan.view).filter(blocksHostCheck);
  if (issues.length > 0) throw new ApiError(400, { error: "The plan is not complete yet.", issues });
  return Response.json(await ctx.hostCheck.start(plan), { status: 202 });
});
