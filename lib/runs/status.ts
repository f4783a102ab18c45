/**
 * The states of a run and of a step run, and the only moves allowed between them. The server's
 * updates are guarded by this table, so a step can never go from "succeeded" back to "running".
 */
export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled", "interrupted"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const RUN_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_TRANSITIONS: Record<StepStatus, readonly StepStatus[]> = {
  pending: ["running", "skipped", "cancelled", "interrupted"],
  running: ["succeeded", "failed", "skipped", "cancelled", "interrupted"],
  // A finished step only moves again when the operator retries it (a new attempt).
  failed: ["pending"],
  cancelled: ["pending"],
  interrupted: ["pending"],
  succeeded: [],
  skipped: [],
};

export const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  pending: ["running", "cancelled", "interrupted"],
  running: ["succeeded", "failed", "cancelled", "interrupted"],
  failed: ["running"],
  cancelled: ["running"],
  interrupted: ["running"],
  succeeded: [],
};

/** The states a step may be in for a move to `to` to be allowed. */
export function stepStatusesBefore(to: StepStatus): StepStatus[] {
  return STEP_STATUSES.filter((from) => STEP_TRANSITIONS[from].includes(to));
}

export function runStatusesBefore(to: RunStatus): RunStatus[] {
  return RUN_STATUSES.filter((from) => RUN_TRANSITIONS[from].includes(to));
}

export function isFinished(status: StepStatus | RunStatus): boolean {
  return status !== "pending" && status !== "running";
}
