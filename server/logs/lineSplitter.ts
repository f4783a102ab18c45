import { StringDecoder } from "node:string_decoder";

/**
 * Turns a stream of output chunks into whole lines. A line (and any secret in it) split across
 * two chunks is only handed on once complete; a multi-byte character split across chunks too.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.onLine(stripCarriageReturn(line));
  }

  /** The stream ended: hand on what is left, even without a final newline. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = "";
    if (rest !== "") this.onLine(stripCarriageReturn(rest));
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
