import type { LogLineView, LogStream } from "@/lib/runs/runView";
import type { RunEventHub } from "../realtime/runEventHub";
import type { LogStore, StoredLogLine } from "../store/logStore";

type QueuedLine = StoredLogLine;

/**
 * The one writer of log lines. Each line gets the next seq of its run when it is appended;
 * lines are written in batches (one transaction) and published only after they are stored, so a
 * client that backfills from SQLite after subscribing never misses a line.
 */
export class LogWriter {
  private readonly nextSeq = new Map<string, number>();
  private queue: QueuedLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushSoon = false;
  private writing: Promise<void> = Promise.resolve();
  /** Lines appended and not yet stored (queued or in the transaction under way). */
  private unstored = 0;
  /** Readers waiting for the backlog to go down (see backpressure()). */
  private readonly drainWaiters: (() => void)[] = [];

  constructor(
    private readonly store: LogStore,
    private readonly hub: RunEventHub,
    private readonly options: LogWriterOptions = DEFAULT_LOG_WRITER_OPTIONS,
  ) {}

  /** Lines appended and not yet stored. */
  get backlog(): number {
    return this.unstored;
  }

  /**
   * A promise while more than `highWater` lines wait to be stored, settled once fewer than
   * `lowWater` do. Whoever reads a host's output waits for it before reading more (the host then
   * blocks on its writes): a step printing faster than SQLite stores is slowed down to that pace
   * instead of piling its output up in this process's memory.
   */
  backpressure(): Promise<void> | undefined {
    if (this.unstored < this.options.highWater) return undefined;
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Continues a run's numbering where the stored lines end (a resumed run keeps its seq). */
  async openRun(runId: string): Promise<void> {
    if (this.nextSeq.has(runId)) return;
    this.nextSeq.set(runId, (await this.store.lastSeq(runId)) + 1);
  }

  append(runId: string, stepRunId: string | null, stream: LogStream, text: string): void {
    const seq = this.nextSeq.get(runId);
    if (seq === undefined) throw new Error(`LogWriter.openRun(${runId}) was not called`);
    this.nextSeq.set(runId, seq + 1);
    this.queue.push({ runId, seq, stepRunId, stream, text, time: new Date().toISOString() });
    this.unstored++;
    if (this.queue.length >= this.options.maxBatch) this.scheduleFlush(0);
    else this.scheduleFlush(this.options.flushIntervalMs);
  }

  /** Resolves once every line appended so far is stored and published. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushSoon = false;
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
    if (this.timer && (delayMs > 0 || this.flushSoon)) return;
    clearTimeout(this.timer);
    this.flushSoon = delayMs === 0;
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  private async write(batch: QueuedLine[]): Promise<void> {
    // At most maxBatch lines per transaction, and the event loop gets a turn between two: a step
    // that prints 200 000 lines must not stall SSH keepalives, sockets and timers meanwhile.
    for (let start = 0; start < batch.length; start += this.options.maxBatch) {
      const part = batch.slice(start, start + this.options.maxBatch);
      try {
        await this.store.insert(part);
      } catch (error) {
        // Losing lines silently is the one thing a log must not do: say so loudly.
        console.error(`StackPilot: could not store ${part.length} log lines:`, error);
        continue;
      } finally {
        this.settled(part.length);
      }
      for (const [runId, lines] of groupByRun(part)) this.hub.publishLines(runId, lines);
      if (start + this.options.maxBatch < batch.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private settled(lines: number) {
    this.unstored -= lines;
    if (this.unstored <= this.options.lowWater) for (const resume of this.drainWaiters.splice(0)) resume();
  }
}

export type LogWriterOptions = {
  /** A batch is written this long after its first line, or at once when it is full. */
  flushIntervalMs: number;
  /** Lines per transaction. */
  maxBatch: number;
  /** Unstored lines above which readers are asked to wait, and below which they go on. */
  highWater: number;
  lowWater: number;
};

export const DEFAULT_LOG_WRITER_OPTIONS: LogWriterOptions = { flushIntervalMs: 40, maxBatch: 2000, highWater: 10_000, lowWater: 4_000 };

function groupByRun(batch: QueuedLine[]): Map<string, LogLineView[]> {
  const byRun = new Map<string, LogLineView[]>();
  for (const { runId, ...line } of batch) {
    const lines = byRun.get(runId) ?? [];
    lines.push(line);
    byRun.set(runId, lines);
  }
  return byRun;
}
