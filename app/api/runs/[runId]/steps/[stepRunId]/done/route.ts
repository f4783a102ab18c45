import { apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Marks an unfinished step as done by hand (recorded as such); the answer is the run. */
export const POST = apiHandler<{ runId: string; stepRunId: string }>(async ({ params, ctx }) => {
  const run = await ctx.runs.get(params.runId);
  if (!run || run.kind !== "deploy") throw notFound("Deployment");
  return ctx.deploy.markDone(run.id, params.stepRunId, run.planId);
});
