import type { LogLineView, PortCheckView, RunView, StepRunView } from "../runs/runView";

/** The socket.io contract between the server and the dashboard: one room per run. */

/** How far a step run's file transfer is (the uploaded image to the controller): live only, never stored. */
export type TransferView = { stepRunId: string; sentBytes: number; totalBytes: number };

export type BackfillPage = { lines: LogLineView[]; hasMore: boolean };
/** The answer to a subscribe: the run as it is now (read after joining the room) and the first page. */
export type Subscription = BackfillPage & { run: RunView };
export type Ack<T> = (response: ({ ok: true } & T) | { ok: false; error: string }) => void;

export type ServerToClientEvents = {
  /** New log lines of a run, already stored in SQLite, in seq order. */
  "run:lines": (payload: { runId: string; lines: LogLineView[] }) => void;
  "run:step": (payload: { runId: string; stepRun: StepRunView }) => void;
  "run:status": (payload: { runId: string; run: Omit<RunView, "stepRuns"> }) => void;
  "run:port": (payload: { runId: string; check: PortCheckView }) => void;
  "run:transfer": (payload: { runId: string; transfer: TransferView }) => void;
};

export type ClientToServerEvents = {
  /**
   * Join the run's room, then get the run and the first page of lines after `afterSeq`: subscribe
   * first, then read, so nothing that changes in between is missed.
   */
  "run:subscribe": (request: { runId: string; afterSeq: number }, ack: Ack<Subscription>) => void;
  /** The next page of stored lines after `afterSeq`. */
  "run:backfill": (request: { runId: string; afterSeq: number }, ack: Ack<BackfillPage>) => void;
  "run:unsubscribe": (request: { runId: string }) => void;
};

export const BACKFILL_PAGE_SIZE = 2000;

export function runRoom(runId: string): string {
  return `run:${runId}`;
}
