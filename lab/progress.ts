// A concise progress log: every line carries the seconds since the command started.
export interface Progress {
  (message: string): void;
  /** Runs `work`, then logs `message` with how long it took. */
  timed<T>(message: string, work: () => Promise<T>): Promise<T>;
  elapsed(): number;
}

export function createProgress(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Progress {
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  const stamp = () => `[${elapsed().toFixed(1).padStart(5)}s]`;
  const progress = ((message: string) => write(`${stamp()} ${message}`)) as Progress;
  progress.elapsed = elapsed;
  progress.timed = async (message, work) => {
    const t0 = performance.now();
    const result = await work();
    progress(`${message} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return result;
  };
  return progress;
}
