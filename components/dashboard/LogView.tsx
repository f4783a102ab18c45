"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { LogBuffer } from "@/lib/logs/logBuffer";
import type { StepRunView } from "@/lib/runs/runView";

const STREAM_STYLE = { stdout: "text-slate-100", stderr: "text-amber-300", system: "text-sky-300" } as const;
/** The browser renders the newest lines; the full log stays on the server. */
const MAX_RENDERED = 5000;

/** The run's live log: follows new lines unless the user scrolled up, filterable by host. */
export function LogView({ log, linesVersion, steps }: { log: LogBuffer; linesVersion: number; steps: StepRunView[] }) {
  const [hostFilter, setHostFilter] = useState("");
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const hostOfStep = useMemo(() => new Map(steps.map((s) => [s.id, s.hostName])), [steps]);
  const hosts = [...new Set(steps.map((s) => s.hostName))];

  // linesVersion changes whenever the buffer gains lines.
  const all = useMemo(() => log.lines(), [log, linesVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  const shown = useMemo(() => {
    const filtered = hostFilter ? all.filter((l) => l.stepRunId && hostOfStep.get(l.stepRunId) === hostFilter) : all;
    return filtered.slice(-MAX_RENDERED);
  }, [all, hostFilter, hostOfStep]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);

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
        <span className="text-sm text-slate-600" data-testid="log-line-count" data-count={all.length}>
          {all.length} line{all.length === 1 ? "" : "s"}
          {shown.length < all.length && hostFilter === "" ? ` (newest ${shown.length} shown)` : ""}
        </span>
      </div>
      <div ref={box} role="log" aria-live="off" className="h-80 overflow-auto rounded bg-slate-900 p-3 font-mono text-xs leading-5">
        {shown.map((line) => (
          <div key={line.seq} className={`whitespace-pre-wrap break-all ${STREAM_STYLE[line.stream]}`}>
            <span className="select-none text-slate-500">{line.stepRunId ? `${hostOfStep.get(line.stepRunId) ?? ""} ` : ""}</span>
            {line.text}
          </div>
        ))}
      </div>
    </section>
  );
}
