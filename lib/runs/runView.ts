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
  stepRuns: StepRunView[];
};

export type LogStream = "stdout" | "stderr" | "system";

export type LogLineView = {
  seq: number;
  stepRunId: string | null;
  stream: LogStream;
  text: string;
  time: string;
};
