import { planUpdateSchema } from "@/lib/plan/planView";
import { apiHandler, notFound, readJson } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  return (await ctx.plans.get(params.planId)) ?? Promise.reject(notFound("Plan"));
});

/** Saves what the wizard has, complete or not; secret values are accepted but never returned. */
export const PUT = apiHandler<{ planId: string }>(async ({ request, params, ctx }) => {
  const update = planUpdateSchema.parse(await readJson(request));
  return ctx.plans.update(params.planId, update);
});
