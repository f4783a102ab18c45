import type { HostRole } from "../plan/planView";
import type { RunStatus, StepStatus } from "./status";

/** A run and its step runs as the API and the socket send them. */
export type RunKind = "host-check" | "deploy";

export type StepRunView = {
  id: string;
  runId: string;
  stepKey: string;
  hostId: string;
  hostName: string;
  position: number;
  status: StepStatus;
  attempt: number;
  exitCode: number | null;
  error: string | null;
  result: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  /** Grows with every change: of two copies, the higher version is the newer. */
  version: number;
};

export type RunView = {
  id: string;
  planId: string;
  kind: RunKind;
  status: RunStatus;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  version: number;
  stepRuns: StepRunView[];
  /** For deployments: the playbook's phases and step titles, to group the step runs. */
  outline?: RunOutline;
};

/** A host of the plan a run ran (no credentials): the topology, the port matrix's rows. */
export type RunHost = { name: string; role: HostRole; managementIp: string; natIp: string };

/** A port a step checks once it is done: on the hosts of role `on`, from the wizard and from the hosts of `fromRoles`. */
export type PortExpectationView = { stepKey: string; port: number; label: string; on: HostRole; fromRoles: HostRole[] };

export type RunOutline = { key: string; title: string; steps: { key: string; title: string }[] }[];

/** Folds a newer copy of a run's summary or of one of its step runs into a run, keeping the newest of each. */
export function mergeRun(run: RunView, update: { summary?: Omit<RunView, "stepRuns">; stepRun?: StepRunView }): RunView {
  let next = run;
  if (update.summary && update.summary.version > run.version) next = { ...next, ...update.summary };
  const step = update.stepRun;
  if (step) {
    const current = next.stepRuns.find((s) => s.id === step.id);
    if (current && step.version > current.version) next = { ...next, stepRuns: next.stepRuns.map((s) => (s.id === step.id ? step : s)) };
  }
  return next;
}

/** A whole snapshot against the copy held: per run and per step, the higher version wins. */
export function mergeRunSnapshot(held: RunView | undefined, snapshot: RunView): RunView {
  if (!held) return snapshot;
  const { stepRuns, ...summary } = snapshot;
  return stepRuns.reduce((run, stepRun) => mergeRun(run, { stepRun }), mergeRun(held, { summary }));
}

export type LogStream = "stdout" | "stderr" | "system";

/** One TCP check of a service port: from the wizard ("wizard") or from a host, to a host. */
export type PortCheckView = {
  fromHost: string;
  toHost: string;
  port: number;
  open: boolean;
  error: string | null;
  checkedAt: string;
};

export type LogLineView = {
  seq: number;
  stepRunId: string | null;
  stream: LogStream;
  text: string;
  time: string;
};
