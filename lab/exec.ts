// Running programs: always an argument array, never a shell string.
import { spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import path from "node:path";

export class CommandError extends Error {
  constructor(
    readonly command: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split("\n").slice(-8).join("\n");
    super(`${command.join(" ")} failed (exit ${exitCode ?? "signal"})${tail ? `:\n${tail}` : ""}`);
    this.name = "CommandError";
  }
}

export interface RunOptions {
  /** Written to the program's stdin (how secrets are passed: never as arguments). */
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function run(command: string, args: string[], options: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new CommandError([command, ...args], code, stderr || stdout));
    });
    if (options.input !== undefined) {
      child.stdin!.on("error", () => {}); // a program that exits without reading: its exit code tells
      child.stdin!.end(options.input);
    }
  });
}

/** True when the command exits 0; for probes like "does this link exist". */
export async function succeeds(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args);
    return true;
  } catch (error) {
    if (error instanceof CommandError) return false;
    throw error;
  }
}

export async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? "").split(":").concat("/usr/sbin", "/sbin")) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}
