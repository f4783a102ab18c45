import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { signInWithSetupToken, type ServerSession } from "@/e2e/support/session";
import type { PlanView } from "@/lib/plan/planView";
import type { RunView } from "@/lib/runs/runView";
import { drillPlanUpdate } from "@/server/testing/drillPlan";
import type { LoopbackSshd } from "@/server/testing/loopbackSshd";

/**
 * A real StackPilot server process (bench/benchServer.ts: startServer with a bench playbook, the
 * production build) on its own port and scratch database, signed in as its admin with the setup
 * token it printed. One process (tsx as a loader): its PID is the server's, for its peak RSS.
 */
export type BenchServer = {
  url: string;
  pid: number;
  dataDir: string;
  session: ServerSession;
  /** The server's peak resident set (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** A plan whose first host is the controller "ct", the others computes, every password set. */
  createPlan(hosts: LoopbackSshd[]): Promise<PlanView>;
  getRun(runId: string): Promise<RunView>;
  /** Polls the run until it is no longer pending or running. */
  waitForRun(runId: string, pollMs?: number): Promise<RunView>;
  stop(): Promise<void>;
};

export function assertBuilt(): void {
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build in .next: run `npx next build` first (npm run bench does it when .next is missing).");
}

export async function startBenchServer(options: { port: number; playbook: "flood" | "touch"; env?: Record<string, string> }): Promise<BenchServer> {
  assertBuilt();
  const dataDir = `/tmp/stackpilot-bench-server-${options.port}`;
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join("bench", "benchServer.ts")], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(options.port),
      DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      BENCH_PLAYBOOK: options.playbook,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c) => (output += c));
  child.stderr?.on("data", (c) => (output += c));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }).then(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`The bench server exited: ${output}`);
      if (Date.now() > deadline) throw new Error(`The bench server did not answer within 90 s: ${output}`);
      if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const session = await signInWithSetupToken(url, () => output);
    const json = async <T>(response: Promise<Response>): Promise<T> => {
      const r = await response;
      if (!r.ok) throw new Error(`${r.url}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    };
    const getRun = (runId: string) => json<RunView>(session.fetch(`/api/runs/${runId}`));
    return {
      url,
      pid: child.pid!,
      dataDir,
      session,
      peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024,
      createPlan: async (hosts) => {
        const plan = await json<PlanView>(session.fetch("/api/plans", { method: "POST" }));
        const update = drillPlanUpdate(plan.settings, hosts, (name) => `${name}-bench-'"$-7f3a9c`);
        return json<PlanView>(session.fetch(`/api/plans/${plan.id}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(update) }));
      },
      getRun,
      waitForRun: async (runId, pollMs = 100) => {
        for (;;) {
          const run = await getRun(runId);
          if (run.status !== "pending" && run.status !== "running") return run;
          await new Promise((r) => setTimeout(r, pollMs));
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
