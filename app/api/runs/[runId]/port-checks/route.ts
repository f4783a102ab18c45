import { apiHandler } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Every port check of a run, oldest first (the dashboard keeps the newest per cell). */
export const GET = apiHandler<{ runId: string }>(async ({ params, ctx }) => ctx.runs.portChecks(params.runId));
