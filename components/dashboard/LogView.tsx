"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from "react";
import type { LogBuffer } from "@/lib/logs/logBuffer";
import type { LogLineView, StepRunView } from "@/lib/runs/runView";

const STREAM_STYLE = { stdout: "text-slate-100", stderr: "text-amber-300", system: "text-sky-300" } as const;
/** Every row has this height, so the row at any scroll offset is a division away. */
const ROW_HEIGHT = 18;
/** The log box's height (h-80) until it is measured. */
const DEFAULT_VIEW_HEIGHT = 320;
/** Rows rendered beyond the visible ones on each side: smooth scrolling, and the tail in the page. */
const OVERSCAN = 100;

/**
 * The run's live log, virtualised: every line the dashboard holds can be scrolled to, but only
 * the rows in view (and some around them) are in the page, so 200 000 lines cost no more to show
 * than 200. Follows new lines unless the user scrolled up; filterable by host; the whole stored
 * log is a download away.
 */
export function LogView({ log, linesVersion, steps, runId }: { log: LogBuffer; linesVersion: number; steps: StepRunView[]; runId?: string }) {
  const [hostFilter, setHostFilter] = useState("");
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(DEFAULT_VIEW_HEIGHT);
  const box = useRef<HTMLDivElement>(null);
  /** Where this component last scrolled the box to itself: a scroll event there is not the user's. */
  const ownScrollTop = useRef<number | null>(null);

  // Step runs are replaced on every status change, but their ids and hosts never change: key on those.
  const stepHostsKey = steps.map((s) => `${s.id}\u0000${s.hostName}`).join("\u0001");
  const hostOfStep = useMemo(() => new Map(steps.map((s) => [s.id, s.hostName])), [stepHostsKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const hosts = useMemo(() => [...new Set(hostOfStep.values())], [hostOfStep]);
  const logRunId = runId ?? steps[0]?.runId;

  const all = log.lines();
  const held = log.size;
  const filtered = useHostIndex(log, linesVersion, hostFilter, hostOfStep);
  const count = filtered ? filtered.length : held;

  const maxTop = Math.max(0, count * ROW_HEIGHT - viewHeight);
  const top = follow ? maxTop : Math.min(scrollTop, maxTop);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  const rows: LogLineView[] = [];
  for (let i = first; i < last; i++) rows.push(filtered ? all[filtered.at(i)] : all[i]);

  // Following: the box is scrolled to the end before the browser paints the new rows.
  useLayoutEffect(() => {
    const element = box.current;
    if (!follow || !element) return;
    element.scrollTop = element.scrollHeight;
    ownScrollTop.current = element.scrollTop;
  }, [follow, count, viewHeight]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setViewHeight(element.clientHeight || DEFAULT_VIEW_HEIGHT);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    const at = element.scrollTop;
    setScrollTop(at);
    if (ownScrollTop.current !== null && Math.abs(at - ownScrollTop.current) < 1) return;
    ownScrollTop.current = null;
    // The user scrolled: up stops following, back to the end follows again.
    setFollow(at + element.clientHeight >= element.scrollHeight - ROW_HEIGHT);
  }, []);

  const download = logRunId ? `/api/runs/${encodeURIComponent(logRunId)}/log${hostFilter ? `?host=${encodeURIComponent(hostFilter)}` : ""}` : undefined;

  return (
    <section aria-labelledby="log-heading">
      <div className="mb-2 flex flex-wrap items-center gap-4">
        <h2 id="log-heading" className="text-lg font-semibold">
          Log
        </h2>
        <label className="text-sm">
          Host{" "}
          <select value={hostFilter} onChange={(e) => setHostFilter(e.target.value)} className="rounded border border-slate-300 bg-white px-1 py-0.5">
            <option value="">all</option>
            {hosts.map((h) => (
              <option key={h}>{h}</option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <span className="text-sm text-slate-600" data-testid="log-line-count" data-count={held} data-shown={count}>
          {held.toLocaleString("en")} line{held === 1 ? "" : "s"}
          {filtered ? ` (${count.toLocaleString("en")} on ${hostFilter})` : ""}
        </span>
        {download && (
          <a href={download} download className="text-sm text-blue-800 underline">
            Download full log
          </a>
        )}
      </div>
      <div
        ref={box}
        role="log"
        aria-live="off"
        onScroll={onScroll}
        className="h-80 overflow-auto rounded bg-slate-900 py-1 font-mono text-xs"
        style={{ overflowAnchor: "none" }}
      >
        <div style={{ height: count * ROW_HEIGHT, minWidth: "100%", width: "max-content", position: "relative" }}>
          <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {rows.map((line) => (
              <div key={line.seq} className={`whitespace-pre px-3 ${STREAM_STYLE[line.stream]}`} style={{ height: ROW_HEIGHT, lineHeight: `${ROW_HEIGHT}px` }}>
                <span className="select-none text-slate-500">{line.stepRunId ? `${hostOfStep.get(line.stepRunId) ?? ""} ` : ""}</span>
                {line.text}
              </div>
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}

/** Positions in `log.lines()` of the lines of one host, grown in place as lines are appended. */
class HostIndex {
  private readonly positions: number[] = [];
  private scanned = 0;

  constructor(
    readonly host: string,
    readonly hostOfStep: Map<string, string>,
    readonly reorderVersion: number,
  ) {}

  /** Looks at the lines added since the last call only. */
  extend(lines: readonly LogLineView[]): void {
    for (let i = this.scanned; i < lines.length; i++) {
      const stepRunId = lines[i].stepRunId;
      if (stepRunId !== null && this.hostOfStep.get(stepRunId) === this.host) this.positions.push(i);
    }
    this.scanned = lines.length;
  }

  get length(): number {
    return this.positions.length;
  }

  at(i: number): number {
    return this.positions[i];
  }
}

/**
 * The host filter over all lines held, without a copy of the log per render: the index is built
 * once per filter and then only extended by the lines appended since (rebuilt when a backfill
 * inserted lines before the end).
 */
function useHostIndex(log: LogBuffer, linesVersion: number, host: string, hostOfStep: Map<string, string>): HostIndex | null {
  const cache = useRef<HostIndex | null>(null);
  return useMemo(() => {
    if (!host) return (cache.current = null);
    let index = cache.current;
    if (!index || index.host !== host || index.hostOfStep !== hostOfStep || index.reorderVersion !== log.reorderVersion) {
      index = new HostIndex(host, hostOfStep, log.reorderVersion);
    }
    index.extend(log.lines());
    return (cache.current = index);
  }, [log, linesVersion, host, hostOfStep]); // eslint-disable-line react-hooks/exhaustive-deps
}
