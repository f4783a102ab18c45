import type { LogStore } from "../store/logStore";
import type { RunStore } from "../store/runStore";

/** Lines read from SQLite per page: the log is streamed, never held whole in memory. */
const PAGE_SIZE = 5000;

/**
 * A run's whole stored log as a text stream, one line per log line:
 * `<ISO time> <host or -> <stream> <text>`; `host` keeps one host's lines. The lines were redacted
 * before they were stored. Null when there is no such run.
 */
export async function logDownload(stores: { runs: RunStore; logLines: LogStore }, runId: string, host: string | null): Promise<ReadableStream<Uint8Array> | null> {
  const stepRuns = await stores.runs.stepRunHosts(runId);
  if (!stepRuns) return null;
  const hostOf = new Map(stepRuns.map((s) => [s.id, s.hostName]));
  const onlySteps = host === null ? undefined : stepRuns.filter((s) => s.hostName === host).map((s) => s.id);

  const encoder = new TextEncoder();
  let afterSeq = 0;
  return new ReadableStream<Uint8Array>({
    // One page per pull: the client's reading speed sets the pace.
    async pull(controller) {
      const { lines, hasMore } = await stores.logLines.page(runId, afterSeq, PAGE_SIZE, onlySteps);
      let text = "";
      for (const line of lines) text += `${line.time} ${(line.stepRunId && hostOf.get(line.stepRunId)) || "-"} ${line.stream} ${line.text}\n`;
      if (lines.length > 0) {
        afterSeq = lines[lines.length - 1].seq;
        controller.enqueue(encoder.encode(text));
      }
      if (!hasMore) controller.close();
    },
  });
}
