import { describe, expect, it } from "vitest";
import type { LogLineView } from "../runs/runView";
import { LogBuffer } from "./logBuffer";

const line = (seq: number): LogLineView => ({ seq, stepRunId: null, stream: "stdout", text: `line ${seq}`, time: "" });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

describe("LogBuffer (the dashboard's side of the seq backfill)", () => {
  it("keeps one copy of a line that arrives live and again in a backfill page", () => {
    const buffer = new LogBuffer();
    buffer.add(range(5, 7)); // live lines that came in while the backfill was on its way
    expect(buffer.add(range(1, 6))).toBe(4);
    expect(buffer.lines().map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("reports where a backfill must resume: the end of the gap-free prefix", () => {
    const buffer = new LogBuffer();
    buffer.add(range(1, 3));
    buffer.add(range(10, 12));
    expect(buffer.contiguousSeq()).toBe(3);
    buffer.add(range(4, 9));
    expect(buffer.contiguousSeq()).toBe(12);
  });

  it("orders by seq, never by arrival", () => {
    const buffer = new LogBuffer();
    buffer.add([line(3), line(1), line(2)]);
    expect(buffer.lines().map((l) => l.text)).toEqual(["line 1", "line 2", "line 3"]);
    expect(buffer.size).toBe(3);
  });

  it("drops a line repeated inside one page", () => {
    const buffer = new LogBuffer();
    expect(buffer.add([line(1), line(2), line(1)])).toBe(2);
    expect(buffer.lines().map((l) => l.seq)).toEqual([1, 2]);
  });

  it("appends lines in order without a reorder; a gap filled later counts as one", () => {
    const buffer = new LogBuffer();
    buffer.add(range(1, 100));
    buffer.add(range(101, 200));
    expect(buffer.version).toBe(2);
    expect(buffer.reorderVersion).toBe(0);
    buffer.add(range(300, 310)); // live lines after a reconnect, before the backfill
    expect(buffer.reorderVersion).toBe(0);
    buffer.add(range(201, 299)); // the backfill fills the gap
    expect(buffer.reorderVersion).toBe(1);
    expect(buffer.add(range(150, 250))).toBe(0);
    expect(buffer.version).toBe(4);
    expect(buffer.lines().map((l) => l.seq)).toEqual(range(1, 310).map((l) => l.seq));
    expect(buffer.contiguousSeq()).toBe(310);
  });

  it("merges pages interleaved with live lines into one ordered log of 200 000 lines quickly", () => {
    const buffer = new LogBuffer();
    const started = performance.now();
    // Live batches from 100 001 on while the backfill walks 1..100 000 in pages of 2000.
    for (let page = 0; page < 50; page++) {
      buffer.add(range(100_001 + page * 2000, 100_000 + (page + 1) * 2000));
      buffer.add(range(1 + page * 2000, (page + 1) * 2000));
    }
    const tookMs = performance.now() - started;
    expect(buffer.size).toBe(200_000);
    expect(buffer.contiguousSeq()).toBe(200_000);
    const seqs = buffer.lines();
    for (let i = 0; i < seqs.length; i++) if (seqs[i].seq !== i + 1) throw new Error(`line ${i} has seq ${seqs[i].seq}`);
    expect(tookMs).toBeLessThan(2000);
  });
});
