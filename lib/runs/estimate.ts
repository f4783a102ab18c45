import type { RunView, StepRunView } from "./runView";

/**
 * How long each step took in an earlier deployment, to say how long this one still needs.
 * `basedOn` is that deployment (of this plan if there is one, else of another plan with the same
 * target system); null when there is none, and then nothing is estimated.
 */
export type RunEstimate = {
  basedOn: { runId: string; samePlan: boolean; finishedAt: string } | null;
  /** Seconds per step key (the slowest of its hosts: they run in parallel). */
  seconds: Record<string, number>;
};

type TimedStep = Pick<StepRunView, "stepKey" | "status" | "startedAt" | "finishedAt">;

/** Each step key's duration in a run, in seconds: the slowest host's, from the step runs that ran to the end. */
export function stepDurations(stepRuns: readonly TimedStep[]): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const s of stepRuns) {
    if ((s.status !== "succeeded" && s.status !== "skipped") || !s.startedAt || !s.finishedAt) continue;
    const took = Math.max(0, (Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000);
    seconds[s.stepKey] = Math.max(seconds[s.stepKey] ?? 0, took);
  }
  return seconds;
}

/**
 * Seconds still to go: the earlier durations of the steps not finished yet, one step after the
 * other (a step runs on its hosts in parallel), less what a running step has been at already.
 * Null when there is nothing to estimate from.
 */
export function secondsLeft(run: Pick<RunView, "stepRuns">, estimate: RunEstimate | undefined | null, now: number): number | null {
  if (!estimate?.basedOn) return null;
  const byKey = new Map<string, StepRunView[]>();
  for (const s of [...run.stepRuns].sort((a, b) => a.position - b.position)) byKey.set(s.stepKey, [...(byKey.get(s.stepKey) ?? []), s]);
  let left = 0;
  for (const [key, steps] of byKey) {
    const open = steps.filter((s) => s.status === "pending" || s.status === "running");
    if (open.length === 0) continue;
    const took = estimate.seconds[key] ?? 0;
    const running = open.filter((s) => s.status === "running" && s.startedAt);
    if (running.length > 0) {
      const elapsed = (now - Math.min(...running.map((s) => Date.parse(s.startedAt!)))) / 1000;
      left += Math.max(0, took - elapsed);
    } else {
      left += took;
    }
  }
  return left;
}
