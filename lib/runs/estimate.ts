import { DEFAULT_SCOPE, scopeOf, type PlaybookScope } from "../playbook/scope";
import type { RunView, StepRunView } from "./runView";

/**
 * How long each step took in an earlier deployment, to say how long this one still needs.
 * `basedOn` is that deployment (of this plan if there is one, else of another plan with the same
 * target system, and always of the same scope); null when there is none, and then nothing is
 * estimated.
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

/** The scope a run ran, from its plan snapshot (JSON): a snapshot from before scopes ran the tutorial. */
export function snapshotScope(planSnapshot: string | null): PlaybookScope {
  try {
    return scopeOf((JSON.parse(planSnapshot ?? "null") as { settings?: { scope?: unknown } } | null)?.settings);
  } catch {
    return DEFAULT_SCOPE;
  }
}

/** An earlier deployment that could be the basis of an estimate. */
export type BasisCandidate = { runId: string; planId: string; finishedAt: string; scope: PlaybookScope; stepRuns: readonly TimedStep[] };

/**
 * The estimate of a run from earlier deployments, given in the order to prefer them (this plan's
 * newest first, then other plans'). Only one of the same scope counts: a tutorial deployment has
 * no time for any Nova step. The first whose times cover every step of this run is taken; else
 * the one that covers the most (the steps it lacks are then not estimated: see stepsWithoutTime);
 * none when no candidate has a time for any of this run's steps.
 */
export function chooseBasis(run: { planId: string; scope: PlaybookScope; stepKeys: readonly string[] }, candidates: readonly BasisCandidate[]): RunEstimate {
  const keys = [...new Set(run.stepKeys)];
  let best: { candidate: BasisCandidate; seconds: Record<string, number>; covered: number } | null = null;
  for (const candidate of candidates) {
    if (candidate.scope !== run.scope) continue;
    const seconds = stepDurations(candidate.stepRuns);
    const covered = keys.filter((key) => key in seconds).length;
    if (covered === 0 || (best && covered <= best.covered)) continue;
    best = { candidate, seconds, covered };
    if (covered === keys.length) break;
  }
  if (!best) return { basedOn: null, seconds: {} };
  const { candidate, seconds } = best;
  return { basedOn: { runId: candidate.runId, samePlan: candidate.planId === run.planId, finishedAt: candidate.finishedAt }, seconds };
}

/** The step runs of a run by step key, in the run's order, keeping only the keys with one still pending or running. */
function openSteps(run: Pick<RunView, "stepRuns">): Map<string, StepRunView[]> {
  const byKey = new Map<string, StepRunView[]>();
  for (const s of [...run.stepRuns].sort((a, b) => a.position - b.position)) byKey.set(s.stepKey, [...(byKey.get(s.stepKey) ?? []), s]);
  for (const [key, steps] of byKey) if (!steps.some((s) => s.status === "pending" || s.status === "running")) byKey.delete(key);
  return byKey;
}

/**
 * Seconds still to go: the earlier durations of the steps not finished yet, one step after the
 * other (a step runs on its hosts in parallel), less what a running step has been at already.
 * A step the basis has no time for counts 0 here (stepsWithoutTime says how many).
 * Null when there is nothing to estimate from.
 */
export function secondsLeft(run: Pick<RunView, "stepRuns">, estimate: RunEstimate | undefined | null, now: number): number | null {
  if (!estimate?.basedOn) return null;
  let left = 0;
  for (const [key, steps] of openSteps(run)) {
    const open = steps.filter((s) => s.status === "pending" || s.status === "running");
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

/** How many of the steps still to go the basis has no time for: the time left is at least secondsLeft, by how much is not known. */
export function stepsWithoutTime(run: Pick<RunView, "stepRuns">, estimate: RunEstimate | undefined | null): number {
  if (!estimate?.basedOn) return 0;
  return [...openSteps(run).keys()].filter((key) => !(key in estimate.seconds)).length;
}
