import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createDrillPlan } from "@/e2e/support/drill";
import { signInWithSetupToken, type ServerSession } from "@/e2e/support/session";
import type { PlanView } from "@/lib/plan/planView";
import type { RunView } from "@/lib/runs/runView";
import type { LoopbackSshd } from "@/server/testing/loopbackSshd";
import { startServerProcess } from "@/server/testing/serverProcess";

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
  const server = await startServerProcess({
    entry: path.join("bench", "benchServer.ts"),
    name: "bench server",
    port: options.port,
    dataDir,
    env: { BENCH_PLAYBOOK: options.playbook, ...options.env },
    readyTimeoutMs: 90_000,
  });
  const stop = () => server.stop().then(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const session = await signInWithSetupToken(server.url, server.output);
    const getRun = async (runId: string) => {
      const response = await session.fetch(`/api/runs/${runId}`);
      if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
      return (await response.json()) as RunView;
    };
    return {
      url: server.url,
      pid: server.pid(),
      dataDir,
      session,
      peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid()}/status`, "utf8"))![1]) / 1024,
      createPlan: (hosts) => createDrillPlan(session, hosts, (name) => `${name}-bench-'"$-7f3a9c`),
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
