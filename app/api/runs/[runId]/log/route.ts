import { apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Lines read from SQLite per page: the log is streamed, never held whole in memory. */
const PAGE_SIZE = 5000;

/**
 * The whole stored log of a run as a text download, one line per log line:
 * `<ISO time> <host or -> <stream> <text>`. `?host=<name>` keeps one host's lines. The lines were
 * redacted before they were stored.
 */
export const GET = apiHandler<{ runId: string }>(async ({ request, params, ctx }) => {
  const run = await ctx.db.run.findUnique({ where: { id: params.runId }, select: { id: true } });
  if (!run) throw notFound("Run");
  const host = new URL(request.url).searchParams.get("host") || null;
  const stepRuns = await ctx.db.stepRun.findMany({ where: { runId: run.id }, select: { id: true, hostName: true } });
  const hostOf = new Map(stepRuns.map((s) => [s.id, s.hostName]));
  const onlySteps = host === null ? null : stepRuns.filter((s) => s.hostName === host).map((s) => s.id);

  const encoder = new TextEncoder();
  let afterSeq = 0;
  const body = new ReadableStream<Uint8Array>({
    // One page per pull: the client's reading speed sets the pace.
    async pull(controller) {
      const rows = await ctx.db.logLine.findMany({
        where: { runId: run.id, seq: { gt: afterSeq }, ...(onlySteps ? { stepRunId: { in: onlySteps } } : {}) },
        orderBy: { seq: "asc" },
        take: PAGE_SIZE,
        select: { seq: true, stepRunId: true, stream: true, text: true, time: true },
      });
      if (rows.length === 0) return controller.close();
      let text = "";
      for (const row of rows) text += `${row.time.toISOString()} ${(row.stepRunId && hostOf.get(row.stepRunId)) || "-"} ${row.stream} ${row.text}\n`;
      afterSeq = rows[rows.length - 1].seq;
      controller.enqueue(encoder.encode(text));
      if (rows.length < PAGE_SIZE) controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="stackpilot-run-${run.id}.log"`,
      "cache-control": "no-store",
    },
  });
});
