import { ApiError, apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Cancels a running deployment (202); the steps under way turn "cancelled" once their remote processes are gone. */
export const POST = apiHandler<{ runId: string }>(async ({ params, ctx }) => {
  const run = await ctx.runs.get(params.runId);
  if (!run || run.kind !== "deploy") throw notFound("Deployment");
  if (!(await ctx.deploy.cancel(run.id))) throw new ApiError(409, { error: `This deployment is not running (it has ${run.status}).`, run });
  return Response.json({ cancelling: true }, { status: 202 });
});
