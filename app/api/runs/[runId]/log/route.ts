import { apiHandler, notFound } from "@/server/http/apiHandler";
import { logDownload } from "@/server/logs/logDownload";

export const dynamic = "force-dynamic";

/**
 * The whole stored log of a run as a text download (see logs/logDownload.ts). `?host=<name>`
 * keeps one host's lines.
 */
export const GET = apiHandler<{ runId: string }>(async ({ request, params, ctx }) => {
  const host = new URL(request.url).searchParams.get("host") || null;
  const body = await logDownload(ctx, params.runId, host);
  if (!body) throw notFound("Run");
  return new Response(body, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="stackpilot-run-${params.runId}.log"`,
      "cache-control": "no-store",
    },
  });
});
