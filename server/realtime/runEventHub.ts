import { EventEmitter } from "node:events";
import type { TransferView } from "@/lib/realtime/runEvents";
import type { LogLineView, PortCheckView, RunView, StepRunView } from "@/lib/runs/runView";

export type RunEvent =
  | { type: "lines"; runId: string; lines: LogLineView[] }
  | { type: "step"; runId: string; stepRun: StepRunView }
  | { type: "status"; runId: string; run: Omit<RunView, "stepRuns"> }
  | { type: "port"; runId: string; check: PortCheckView }
  | { type: "transfer"; runId: string; transfer: TransferView };

/**
 * Where the runner announces what happened in a run, after it is stored. The socket server
 * forwards these to the run's room; tests listen here directly.
 */
export class RunEventHub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publishLines(runId: string, lines: LogLineView[]) {
    this.emit({ type: "lines", runId, lines });
  }

  publishStep(stepRun: StepRunView) {
    this.emit({ type: "step", runId: stepRun.runId, stepRun });
  }

  publishStatus(run: Omit<RunView, "stepRuns">) {
    this.emit({ type: "status", runId: run.id, run });
  }

  publishPortCheck(runId: string, check: PortCheckView) {
    this.emit({ type: "port", runId, check });
  }

  publishTransfer(runId: string, transfer: TransferView) {
    this.emit({ type: "transfer", runId, transfer });
  }

  subscribe(listener: (event: RunEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }

  private emit(event: RunEvent) {
    this.emitter.emit("event", event);
  }
}
