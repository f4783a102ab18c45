import { apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ runId: string }>(async ({ params, ctx }) => {
  return (await ctx.runs.get(params.runId)) ?? Promise.reject(notFound("Run"));
});
