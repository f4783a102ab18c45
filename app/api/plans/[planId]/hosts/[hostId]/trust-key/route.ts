import { trustHostKeySchema } from "@/lib/plan/planView";
import { apiHandler, notFound, readJson } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/**
 * "Trust the new key": pins the fingerprint the operator accepts for a host (after reinstalling
 * it, the host check refuses its new key). Answers the plan, which shows the pin.
 */
export const POST = apiHandler<{ planId: string; hostId: string }>(async ({ request, params, ctx }) => {
  const { fingerprint } = trustHostKeySchema.parse(await readJson(request));
  return (await ctx.plans.trustHostKey(params.planId, params.hostId, fingerprint)) ?? Promise.reject(notFound("Host"));
});
