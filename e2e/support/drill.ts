import { spawn, type ChildProcess } from "node:child_process";
import type { BrowserContext } from "@playwright/test";
import { mkdirSync, rmSync } from "node:fs";
import type { PlanView } from "../../lib/plan/planView";
import type { LoopbackSshd } from "../../server/testing/loopbackSshd";
import { drillPlanUpdate } from "../../server/testing/drillPlan";
import { signInWithSetupToken, type ServerSession } from "./session";

/**
 * A real StackPilot server process running the drill playbook (e2e/support/drillServer.ts) on its
 * own port and scratch database, for tests that kill it, restart it or flood it. Needs `next build`.
 */
export type DrillServer = {
  url: string;
  /** A request to the server as its signed-in admin (session cookie, and the CSRF token where needed). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Gives a browser context the admin's session on this server. */
  signIn(context: BrowserContext): Promise<void>;
  /** What the server printed on its console since it was last started. */
  output(): string;
  /** kill -9: no shutdown handler runs, as when the machine loses power. */
  kill9(): Promise<void>;
  /** Starts it again on the same database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

export async function startDrillServer(options: { port: number; dataDir: string; drillDir: string; env?: Record<string, string>; skipSetup?: boolean }): Promise<DrillServer> {
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.drillDir, { recursive: true });
  const url = `http://127.0.0.1:${options.port}`;
  let child: ChildProcess;
  let output = "";
  const launch = async () => {
    output = "";
    // One process (tsx as a loader, not its CLI, which would run the server in a child): kill -9 hits the server itself.
    child = spawn(process.execPath, ["--import", "tsx", "e2e/support/drillServer.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(options.port),
        DATA_DIR: options.dataDir,
        DRILL_DIR: options.drillDir,
        NEXT_TELEMETRY_DISABLED: "1",
        SSH_READY_TIMEOUT_MS: "4000",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c) => (output += c));
    child.stderr?.on("data", (c) => (output += c));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`The drill server exited: ${output}`);
      try {
        if ((await fetch(`${url}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`The drill server did not answer within 60 s: ${output}`);
  };
  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
  await launch();
  // As its admin (made with the console's setup token), unless the test does that itself.
  const session: ServerSession | null = options.skipSetup ? null : await signInWithSetupToken(url, () => output);
  const signedIn = () => {
    if (!session) throw new Error("This drill server was started with skipSetup.");
    return session;
  };
  return {
    url,
    fetch: (path, init) => signedIn().fetch(path, init),
    signIn: (context) => signedIn().addTo(context),
    output: () => output,
    kill9: async () => {
      child.kill("SIGKILL");
      await exited();
    },
    restart: async () => {
      if (child.exitCode === null && child.signalCode === null) throw new Error("The drill server is still running: stop or kill it before restarting.");
      await launch();
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited();
    },
  };
}

/** A complete plan (every password set) whose first host is the controller and the others computes. */
export async function createDrillPlan(server: DrillServer, hosts: LoopbackSshd[], servicePassword: (name: string) => string): Promise<PlanView> {
  const plan = (await (await server.fetch("/api/plans", { method: "POST" })).json()) as PlanView;
  const update = drillPlanUpdate(plan.settings, hosts, servicePassword);
  const response = await server.fetch(`/api/plans/${plan.id}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(update) });
  if (!response.ok) throw new Error(`Could not save the drill plan: ${await response.text()}`);
  return (await response.json()) as PlanView;
}
