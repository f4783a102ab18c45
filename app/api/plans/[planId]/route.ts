import type { PlanSaved } from "@/lib/plan/planView";
import { readPlanUpdate } from "@/lib/plan/readPlanUpdate";
import { apiHandler, notFound, readJson } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  return (await ctx.plans.get(params.planId)) ?? Promise.reject(notFound("Plan"));
});

/**
 * Saves what the wizard has, complete or not. A value that cannot be saved is named in `rejected`
 * (by its field, never by its value) and everything else is saved; secret values are accepted but
 * never returned.
 */
export const PUT = apiHandler<{ planId: string }>(async ({ request, params, ctx }) => {
  const stored = await ctx.plans.get(params.planId);
  if (!stored) throw notFound("Plan");
  const { update, rejected } = readPlanUpdate(await readJson(request), stored);
  const saved = await ctx.plans.saveDraft(params.planId, update);
  return { ...saved.plan, rejected: [...rejected, ...saved.rejected] } satisfies PlanSaved;
});
