import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";

/**
 * A real StackPilot server process (an entry that calls startServer with a playbook of its own, on
 * the production build) on its own port and scratch database, for tests and the bench. One
 * process (tsx as a loader, not its CLI, which would run the server in a child), so kill -9 hits
 * the server itself and its PID is the server's.
 */
export type ServerProcess = {
  url: string;
  pid(): number;
  /** What the server printed on its console since it was last started. */
  output(): string;
  /** kill -9: no shutdown handler runs, as when the machine loses power. */
  kill9(): Promise<void>;
  /** Starts it again on the same database (it must have been stopped or killed). */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

export type ServerProcessOptions = { entry: string; name: string; port: number; dataDir: string; env?: Record<string, string>; readyTimeoutMs?: number };

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let child: ChildProcess;
  let output = "";
  const running = () => child.exitCode === null && child.signalCode === null;
  const exited = () => new Promise<void>((resolve) => (running() ? child.once("exit", () => resolve()) : resolve()));
  const launch = async () => {
    output = "";
    child = spawnServer(options);
    child.stdout?.on("data", (c) => (output += c));
    child.stderr?.on("data", (c) => (output += c));
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`The ${options.name} exited: ${output}`);
      if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill("SIGTERM");
    throw new Error(`The ${options.name} did not answer within ${readyTimeoutMs / 1000} s: ${output}`);
  };
  await launch();
  return {
    url,
    pid: () => child.pid!,
    output: () => output,
    kill9: async () => {
      child.kill("SIGKILL");
      await exited();
    },
    restart: async () => {
      if (running()) throw new Error(`The ${options.name} is still running: stop or kill it before restarting.`);
      await launch();
    },
    stop: async () => {
      if (running()) child.kill("SIGTERM");
      await exited();
    },
  };
}

/**
 * Starts a server on a data directory as it is (another server may be using it) and waits for the
 * process to end, for tests of a start that must refuse: its exit code and what it printed.
 */
export async function runServerUntilExit(options: Omit<ServerProcessOptions, "readyTimeoutMs">, timeoutMs = 60_000): Promise<{ exitCode: number | null; output: string }> {
  const child = spawnServer(options);
  let output = "";
  child.stdout?.on("data", (c) => (output += c));
  child.stderr?.on("data", (c) => (output += c));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  clearTimeout(timer);
  return { exitCode, output };
}

function spawnServer(options: Omit<ServerProcessOptions, "readyTimeoutMs">): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", options.entry], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
