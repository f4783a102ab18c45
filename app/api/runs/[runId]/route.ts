import { apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ runId: string }>(async ({ params, ctx }) => {
  const run = await ctx.runs.get(params.runId);
  if (!run) throw notFound("Run");
  if (run.kind !== "deploy") return run;
  return { ...run, outline: ctx.deploy.outline((await ctx.runs.planSnapshot(run.id))!) };
});
