import { apiHandler, notFound } from "@/server/http/apiHandler";
import { dashboardRun } from "@/server/runs/dashboardRun";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ runId: string }>(async ({ params, ctx }) => {
  const loaded = await dashboardRun(ctx, params.runId);
  if (!loaded) throw notFound("Run");
  return loaded.run;
});
