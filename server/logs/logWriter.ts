import type { LogLineView, LogStream } from "@/lib/runs/runView";
import type { PrismaClient } from "../db/client";
import type { RunEventHub } from "../realtime/runEventHub";

type QueuedLine = LogLineView & { runId: string };

/**
 * The one writer of log lines. Each line gets the next seq of its run when it is appended;
 * lines are written in batches (one transaction) and published only after they are stored, so a
 * client that backfills from SQLite after subscribing never misses a line.
 */
export class LogWriter {
  private readonly nextSeq = new Map<string, number>();
  private queue: QueuedLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: PrismaClient,
    private readonly hub: RunEventHub,
    private readonly options = { flushIntervalMs: 40, maxBatch: 2000 },
  ) {}

  /** Continues a run's numbering where the stored lines end (a resumed run keeps its seq). */
  async openRun(runId: string): Promise<void> {
    if (this.nextSeq.has(runId)) return;
    const last = await this.db.logLine.findFirst({ where: { runId }, orderBy: { seq: "desc" }, select: { seq: true } });
    this.nextSeq.set(runId, (last?.seq ?? 0) + 1);
  }

  append(runId: string, stepRunId: string | null, stream: LogStream, text: string): void {
    const seq = this.nextSeq.get(runId);
    if (seq === undefined) throw new Error(`LogWriter.openRun(${runId}) was not called`);
    this.nextSeq.set(runId, seq + 1);
    this.queue.push({ runId, seq, stepRunId, stream, text, time: new Date().toISOString() });
    if (this.queue.length >= this.options.maxBatch) this.scheduleFlush(0);
    else this.scheduleFlush(this.options.flushIntervalMs);
  }

  /** Resolves once every line appended so far is stored and published. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  /** Forgets a finished run's counter once its lines are stored. */
  async closeRun(runId: string): Promise<void> {
    await this.flush();
    this.nextSeq.delete(runId);
  }

  private scheduleFlush(delayMs: number) {
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  private async write(batch: QueuedLine[]): Promise<void> {
    try {
      await this.db.logLine.createMany({
        data: batch.map((l) => ({ runId: l.runId, stepRunId: l.stepRunId, seq: l.seq, stream: l.stream, text: l.text, time: new Date(l.time) })),
      });
    } catch (error) {
      // Losing lines silently is the one thing a log must not do: say so loudly.
      console.error(`StackPilot: could not store ${batch.length} log lines:`, error);
      return;
    }
    for (const [runId, lines] of groupByRun(batch)) this.hub.publishLines(runId, lines);
  }
}

function groupByRun(batch: QueuedLine[]): Map<string, LogLineView[]> {
  const byRun = new Map<string, LogLineView[]>();
  for (const { runId, ...line } of batch) {
    const lines = byRun.get(runId) ?? [];
    lines.push(line);
    byRun.set(runId, lines);
  }
  return byRun;
}
