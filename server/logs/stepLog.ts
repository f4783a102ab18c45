import type { LogStream } from "@/lib/runs/runView";
import { LineSplitter } from "./lineSplitter";
import type { LogWriter } from "./logWriter";
import type { Redactor } from "./redactor";

const RECENT_LINES = 50;

/**
 * The log of one step run: remote output is cut into whole lines first and then redacted, so a
 * secret split across two chunks is still masked; StackPilot's own remarks go in as "system".
 */
export class StepLog {
  /** The newest lines written, kept for the failure triage. */
  private readonly recent: string[] = [];

  constructor(
    private readonly logs: LogWriter,
    private readonly runId: string,
    private readonly stepRunId: string | null,
    private readonly redactor: Redactor,
  ) {}

  system(text: string): void {
    this.write("system", text);
  }

  /** A sink for one remote stream; call end() when the command is over. onLine gets each line as logged (redacted). */
  stream(stream: Exclude<LogStream, "system">, onLine?: (line: string) => void): LineSplitter {
    return new LineSplitter((line) => onLine?.(this.write(stream, line)));
  }

  /** While set, the reader of the remote output should wait for it (see LogWriter.backpressure). */
  backpressure(): Promise<void> | undefined {
    return this.logs.backpressure();
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** The last lines written (redacted), oldest first. */
  tail(): string[] {
    return [...this.recent];
  }

  private write(stream: LogStream, text: string): string {
    const line = this.redactor.redact(text);
    this.recent.push(line);
    if (this.recent.length > RECENT_LINES) this.recent.shift();
    this.logs.append(this.runId, this.stepRunId, stream, line);
    return line;
  }
}
