import { apiHandler, notFound } from "@/server/http/apiHandler";
import { runWithOutline } from "@/server/runs/runWithOutline";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ runId: string }>(async ({ params, ctx }) => {
  const run = await runWithOutline(ctx, params.runId);
  if (!run) throw notFound("Run");
  return run;
});
