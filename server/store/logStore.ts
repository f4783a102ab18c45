import type { BackfillPage } from "@/lib/realtime/runEvents";
import type { LogLineView, LogStream } from "@/lib/runs/runView";
import type { PrismaClient } from "../db/client";

/** A line as it is stored: a run's line with its seq (see logs/logWriter.ts, which numbers them). */
export type StoredLogLine = LogLineView & { runId: string };

/**
 * A run's log lines in SQLite, numbered by seq within the run. Read a page at a time, never the
 * whole log: a step can print 200 000 lines. The writer (logs/logWriter.ts) batches, numbers and
 * publishes; this is where its batches go and where every reader (the live channel's backfill,
 * the log download, the report) reads them back.
 */
export class LogStore {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Up to `limit` lines of a run after `afterSeq`, in seq order; `stepRunIds` keeps only those step
   * runs' lines. `hasMore` says whether lines after the page exist.
   */
  async page(runId: string, afterSeq: number, limit: number, stepRunIds?: string[]): Promise<BackfillPage> {
    const rows = await this.db.logLine.findMany({
      where: { runId, seq: { gt: afterSeq }, ...(stepRunIds ? { stepRunId: { in: stepRunIds } } : {}) },
      orderBy: { seq: "asc" },
      take: limit + 1,
      select: { seq: true, stepRunId: true, stream: true, text: true, time: true },
    });
    return { lines: rows.slice(0, limit).map(toLogLineView), hasMore: rows.length > limit };
  }

  /** The texts of the last `count` lines of one step run, oldest first. */
  async tail(runId: string, stepRunId: string, count: number): Promise<string[]> {
    const rows = await this.db.logLine.findMany({ where: { runId, stepRunId }, orderBy: { seq: "desc" }, take: count, select: { text: true } });
    return rows.reverse().map((r) => r.text);
  }

  /** The seq of a run's last stored line; 0 when it has none. */
  async lastSeq(runId: string): Promise<number> {
    const last = await this.db.logLine.findFirst({ where: { runId }, orderBy: { seq: "desc" }, select: { seq: true } });
    return last?.seq ?? 0;
  }

  /**
   * Multi-row INSERTs in one transaction. Prisma's createMany costs ~0.5 ms per row, all of it on
   * the event loop (200 000 lines: 100 s of a stalled server); this costs a tenth of it or less.
   * `time` goes in as the ISO text Prisma itself stores for a DateTime on SQLite.
   */
  async insert(lines: StoredLogLine[]): Promise<void> {
    const statements = [];
    for (let start = 0; start < lines.length; start += ROWS_PER_INSERT) {
      const rows = lines.slice(start, start + ROWS_PER_INSERT);
      const values = rows.map(() => "(?, ?, ?, ?, ?, ?)").join(", ");
      const params = rows.flatMap((l) => [l.runId, l.stepRunId, l.seq, l.stream, l.text, l.time]);
      statements.push(this.db.$executeRawUnsafe(`INSERT INTO "LogLine" ("runId", "stepRunId", "seq", "stream", "text", "time") VALUES ${values}`, ...params));
    }
    await this.db.$transaction(statements);
  }
}

/** Rows per INSERT statement: 6 parameters each, well under SQLite's limit of 32 766. */
const ROWS_PER_INSERT = 500;

function toLogLineView(row: { seq: number; stepRunId: string | null; stream: string; text: string; time: Date }): LogLineView {
  return { seq: row.seq, stepRunId: row.stepRunId, stream: row.stream as LogStream, text: row.text, time: row.time.toISOString() };
}
