import { buildPlaybook } from "@/lib/playbook/buildPlaybook";
import { playbookInputFromPlan } from "@/lib/playbook/playbookInput";
import { blocksHostCheck, validatePlan } from "@/lib/plan/validatePlan";
import { ApiError, apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/**
 * The playbook the plan produces, for the preview: every step's scripts as they will be sent.
 * Secrets appear only as the tutorial's variable names ($RABBIT_PASS …): no value is ever in a script.
 */
export const GET = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  const plan = await ctx.plans.get(params.planId);
  if (!plan) throw notFound("Plan");
  const issues = validatePlan(plan).filter(blocksHostCheck);
  if (issues.length > 0) throw new ApiError(400, { error: "Fix the hosts and credentials first.", issues });
  const input = playbookInputFromPlan(plan);
  return { input, playbook: buildPlaybook(input) };
});
