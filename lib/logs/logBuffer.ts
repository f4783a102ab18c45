import type { LogLineView } from "../runs/runView";

/**
 * The dashboard's copy of a run's log: lines kept by seq, so a line that arrives both live and in
 * a backfill page is stored once, and order never depends on arrival.
 */
export class LogBuffer {
  private readonly bySeq = new Map<number, LogLineView>();
  private sorted: LogLineView[] | undefined = [];
  private contiguous = 0;

  /** Adds lines; returns how many were new. */
  add(lines: readonly LogLineView[]): number {
    let added = 0;
    for (const line of lines) {
      if (this.bySeq.has(line.seq)) continue;
      this.bySeq.set(line.seq, line);
      added++;
    }
    if (added > 0) this.sorted = undefined;
    while (this.bySeq.has(this.contiguous + 1)) this.contiguous++;
    return added;
  }

  /** The highest seq up to which every line is present: where a backfill must resume. */
  contiguousSeq(): number {
    return this.contiguous;
  }

  lines(): LogLineView[] {
    this.sorted ??= [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return this.sorted;
  }

  get size(): number {
    return this.bySeq.size;
  }
}
