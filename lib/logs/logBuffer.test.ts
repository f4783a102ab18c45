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
});
