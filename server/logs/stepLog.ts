import type { LogStream } from "@/lib/runs/runView";
import { LineSplitter } from "./lineSplitter";
import type { LogWriter } from "./logWriter";
import type { Redactor } from "./redactor";

/**
 * The log of one step run: remote output is cut into whole lines first and then redacted, so a
 * secret split across two chunks is still masked; StackPilot's own remarks go in as "system".
 */
export class StepLog {
  constructor(
    private readonly logs: LogWriter,
    private readonly runId: string,
    private readonly stepRunId: string | null,
    private readonly redactor: Redactor,
  ) {}

  system(text: string): void {
    this.write("system", text);
  }

  /** A sink for one remote stream; call end() when the command is over. */
  stream(stream: Exclude<LogStream, "system">, onLine?: (line: string) => void): LineSplitter {
    return new LineSplitter((line) => {
      this.write(stream, line);
      onLine?.(line);
    });
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  private write(stream: LogStream, text: string) {
    this.logs.append(this.runId, this.stepRunId, stream, this.redactor.redact(text));
  }
}
