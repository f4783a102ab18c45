import type { StepRunView } from "./runView";

/** One step run's bar: from its start to its end (now while it runs), in ms since the first start. */
export type TimelineBar = { stepRun: StepRunView; start: number; end: number; running: boolean; left: number; width: number };

export type TimelineLayout = {
  /** When the first step run started (epoch ms). */
  origin: number;
  /** From the first start to the last end (ms), at least a second. */
  span: number;
  lanes: { host: string; bars: TimelineBar[] }[];
  /** Where the axis is marked, in ms since the origin, with their position in percent. */
  ticks: { at: number; left: number }[];
};

/** Axis steps to choose from (seconds): some 4 to 8 marks whatever the run's length. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];
const MAX_TICKS = 8;

/**
 * The Gantt chart of a run: one lane per host (in the order the hosts first appear), one bar per
 * step run that started, placed in percent of the run's span. A step waiting to run again after a
 * retry (pending) has no bar. Pure: `now` ends the bars still running.
 */
export function timelineLayout(stepRuns: readonly StepRunView[], now: number): TimelineLayout | null {
  const started = [...stepRuns]
    .filter((s) => s.startedAt && s.status !== "pending")
    .sort((a, b) => a.position - b.position)
    .map((stepRun) => {
      const start = Date.parse(stepRun.startedAt!);
      const running = stepRun.status === "running";
      const end = running ? Math.max(start, now) : stepRun.finishedAt ? Math.max(start, Date.parse(stepRun.finishedAt)) : start;
      return { stepRun, startAt: start, endAt: end, running };
    });
  if (started.length === 0) return null;
  const origin = Math.min(...started.map((s) => s.startAt));
  const span = Math.max(1000, Math.max(...started.map((s) => s.endAt)) - origin);
  const lanes: TimelineLayout["lanes"] = [];
  for (const hostName of new Set([...stepRuns].sort((a, b) => a.position - b.position).map((s) => s.hostName))) {
    const bars = started
      .filter((s) => s.stepRun.hostName === hostName)
      .map(({ stepRun, startAt, endAt, running }) => ({
        stepRun,
        start: startAt - origin,
        end: endAt - origin,
        running,
        left: (100 * (startAt - origin)) / span,
        width: (100 * (endAt - startAt)) / span,
      }));
    lanes.push({ host: hostName, bars });
  }
  const step = (TICK_STEPS.find((s) => (span / 1000) / s <= MAX_TICKS) ?? TICK_STEPS[TICK_STEPS.length - 1]) * 1000;
  const ticks: TimelineLayout["ticks"] = [];
  for (let at = 0; at <= span; at += step) ticks.push({ at, left: (100 * at) / span });
  return { origin, span, lanes, ticks };
}
