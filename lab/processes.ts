// The lab's long-running processes (nspawn per host, tinyproxy): started detached, tracked by
// PID files in the state dir, and only ever signalled after checking the PID is still ours.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { LabError } from "./errors";

export interface TrackedProcess {
  /** For messages, e.g. "host ct". */
  label: string;
  pidFile: string;
  /** A string that must appear in the process's command line (e.g. its rootfs or config path). */
  marker: string;
}

/** Starts a program in its own session with stdout+stderr appended to `logFile`; returns its PID. */
export async function startDetached(
  tracked: TrackedProcess,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log = openSync(logFile, "a", 0o600);
  try {
    const child = spawn(command, args, { detached: true, stdio: ["ignore", log, log], env });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => resolve(child.pid!));
    });
    child.unref();
    await writeFile(tracked.pidFile, `${pid}\n`, { mode: 0o600 });
    return pid;
  } finally {
    closeSync(log);
  }
}

async function commandLine(pid: number): Promise<string | null> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
  } catch {
    return null;
  }
}

/** The one-letter state from /proc/PID/stat ("R", "S", "Z" …), or null once the PID is gone. */
async function processState(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  return stat ? stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function isGone(pid: number): Promise<boolean> {
  const state = await processState(pid);
  // A zombie is finished; it only waits for PID 1 to reap it.
  return state === null || state === "Z" || state === "X";
}

/** The PID from the file if that process is alive and still the one we started, else null. */
export async function runningPid(tracked: TrackedProcess): Promise<number | null> {
  const text = await readFile(tracked.pidFile, "utf8").catch(() => null);
  const pid = Number(text?.trim());
  if (!Number.isInteger(pid) || pid <= 1) return null;
  // cmdline reads empty for a moment while a process execs (sh → nsenter → nspawn): look again.
  for (let attempt = 0; attempt < 5 && (await isRunning(pid)); attempt++) {
    const cmdline = await commandLine(pid);
    if (cmdline) return cmdline.includes(tracked.marker) ? pid : null; // else a reused PID: not ours
    await sleep(20);
  }
  return null;
}

export async function isRunning(pid: number): Promise<boolean> {
  return !(await isGone(pid));
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * SIGTERM, wait, and if it is still there call `onTimeout` (e.g. kill what the process leads)
 * and finally SIGKILL. Removes the PID file once the process is gone; throws if it never goes.
 * Returns false when there was nothing to stop.
 */
export async function stopTracked(
  tracked: TrackedProcess,
  timeoutMs: number,
  onTimeout?: (pid: number) => Promise<void>,
): Promise<boolean> {
  const pid = await runningPid(tracked);
  if (pid !== null) {
    process.kill(pid, "SIGTERM");
    if (!(await exited(pid, timeoutMs))) {
      await onTimeout?.(pid);
      if (!(await exited(pid, 2000))) {
        process.kill(pid, "SIGKILL");
        if (!(await exited(pid, 5000))) throw new LabError(`${tracked.label} (PID ${pid}) would not stop`);
      }
    }
  }
  await rm(tracked.pidFile, { force: true });
  return pid !== null;
}

/** Direct children of a process (e.g. the container's init under nspawn). */
export async function childPids(pid: number): Promise<number[]> {
  const tasks = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  return tasks.split(/\s+/).filter(Boolean).map(Number);
}
