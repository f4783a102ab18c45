import type { LogLineView } from "../runs/runView";

/**
 * The dashboard's copy of a run's log: lines kept by seq, so a line that arrives both live and in
 * a backfill page is stored once, and order never depends on arrival.
 *
 * Built for hundreds of thousands of lines: the sorted array grows in place (lines that arrive in
 * order, the usual case, are appended; a backfill page that fills a gap is merged into the tail
 * after it), so adding a page costs the page, not the whole log.
 */
export class LogBuffer {
  private readonly seqs = new Set<number>();
  private readonly sorted: LogLineView[] = [];
  private contiguous = 0;
  private changes = 0;
  private reorders = 0;

  /** Adds lines; returns how many were new. */
  add(lines: readonly LogLineView[]): number {
    const fresh: LogLineView[] = [];
    let ordered = true;
    for (const line of lines) {
      if (this.seqs.has(line.seq)) continue;
      this.seqs.add(line.seq);
      if (fresh.length > 0 && line.seq < fresh[fresh.length - 1].seq) ordered = false;
      fresh.push(line);
    }
    if (fresh.length === 0) return 0;
    if (!ordered) fresh.sort(bySeq);

    const all = this.sorted;
    if (all.length === 0 || fresh[0].seq > all[all.length - 1].seq) {
      for (const line of fresh) all.push(line);
    } else {
      // Lines that fill a gap: merge them with the tail that follows the first of them.
      const tail = all.splice(lowerBound(all, fresh[0].seq));
      let i = 0;
      let j = 0;
      while (i < tail.length && j < fresh.length) all.push(tail[i].seq < fresh[j].seq ? tail[i++] : fresh[j++]);
      while (i < tail.length) all.push(tail[i++]);
      while (j < fresh.length) all.push(fresh[j++]);
      this.reorders++;
    }
    this.changes++;
    while (this.seqs.has(this.contiguous + 1)) this.contiguous++;
    return fresh.length;
  }

  /** The highest seq up to which every line is present: where a backfill must resume. */
  contiguousSeq(): number {
    return this.contiguous;
  }

  /**
   * Every line held, by seq. The same array grows in place as lines are added: read it, never
   * change it, and use `version` (not the array's identity) to tell whether it changed.
   */
  lines(): readonly LogLineView[] {
    return this.sorted;
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Grows whenever lines are added. */
  get version(): number {
    return this.changes;
  }

  /**
   * Grows whenever lines were inserted before the end rather than appended: an index built over
   * `lines()` stays valid, and only needs extending, as long as this stays the same.
   */
  get reorderVersion(): number {
    return this.reorders;
  }
}

function bySeq(a: LogLineView, b: LogLineView): number {
  return a.seq - b.seq;
}

/** The first index whose seq is >= seq. */
function lowerBound(lines: readonly LogLineView[], seq: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (lines[mid].seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
