/**
 * The states of a run and of a step run, and the only moves allowed between them. The server's
 * updates are guarded by this table, so a step can never go from "succeeded" back to "running".
 */
export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled", "interrupted", "manual"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const RUN_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled", "interrupted", "paused"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_TRANSITIONS: Record<StepStatus, readonly StepStatus[]> = {
  pending: ["running", "skipped", "cancelled", "interrupted", "manual"],
  running: ["succeeded", "failed", "skipped", "cancelled", "interrupted"],
  // A step that did not finish moves again only when the operator retries it (a new attempt) or
  // says it was done by hand.
  failed: ["pending", "manual"],
  cancelled: ["pending", "manual"],
  interrupted: ["pending", "manual"],
  // "Done by hand" can be taken back by retrying the step.
  manual: ["pending"],
  succeeded: [],
  skipped: [],
};

export const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  pending: ["running", "cancelled", "interrupted"],
  // paused: one step was retried on its own and the rest waits for "Resume".
  running: ["succeeded", "failed", "cancelled", "interrupted", "paused"],
  failed: ["running", "succeeded"],
  cancelled: ["running", "succeeded"],
  interrupted: ["running", "succeeded"],
  paused: ["running", "succeeded"],
  succeeded: [],
};

/** Step statuses that count as done: the run goes on past them. */
export const DONE_STEP_STATUSES: readonly StepStatus[] = ["succeeded", "skipped", "manual"];

export function isStepDone(status: StepStatus): boolean {
  return DONE_STEP_STATUSES.includes(status);
}

/** The states a step may be in for a move to `to` to be allowed. */
export function stepStatusesBefore(to: StepStatus): StepStatus[] {
  return STEP_STATUSES.filter((from) => STEP_TRANSITIONS[from].includes(to));
}

export function runStatusesBefore(to: RunStatus): RunStatus[] {
  return RUN_STATUSES.filter((from) => RUN_TRANSITIONS[from].includes(to));
}

/** A run that stopped short and can be resumed. */
export function isResumable(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].includes("running") && status !== "pending";
}

export function isFinished(status: StepStatus | RunStatus): boolean {
  return status !== "pending" && status !== "running";
}
