import type { RunEstimate } from "@/lib/runs/estimate";
import { apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** How long each step took in the newest comparable earlier deployment (see RunHistory.estimate). */
export const GET = apiHandler<{ runId: string }>(async ({ params, ctx }): Promise<RunEstimate> => {
  return (await ctx.runHistory.estimate(params.runId)) ?? Promise.reject(notFound("Run"));
});
