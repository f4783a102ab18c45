import { apiHandler } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** The plan's most recent run, or null: the review page shows the last host check. */
export const GET = apiHandler<{ planId: string }>(async ({ request, params, ctx }) => {
  const kind = new URL(request.url).searchParams.get("kind");
  return ctx.runs.latest(params.planId, kind === "host-check" || kind === "deploy" ? kind : undefined);
});
