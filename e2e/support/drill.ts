import type { BrowserContext } from "@playwright/test";
import { mkdirSync } from "node:fs";
import type { PlanUpdate, PlanView } from "../../lib/plan/planView";
import type { LoopbackSshd } from "../../server/testing/loopbackSshd";
import { drillPlanUpdate } from "../../server/testing/drillPlan";
import { startServerProcess, type ServerProcessOptions } from "../../server/testing/serverProcess";
import { signInWithSetupToken, type ServerSession } from "./session";

/**
 * A real StackPilot server process running the drill playbook (e2e/support/drillServer.ts), or
 * another entry's (startSignedInServer), on its own port and scratch database, for tests that
 * kill it, restart it or flood it. Needs `next build`.
 */
export type DrillServer = {
  url: string;
  /** The server process's id (it changes at each restart). */
  pid(): number;
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
  mkdirSync(options.drillDir, { recursive: true });
  return startSignedInServer({
    entry: "e2e/support/drillServer.ts",
    name: "drill server",
    port: options.port,
    dataDir: options.dataDir,
    env: { DRILL_DIR: options.drillDir, SSH_READY_TIMEOUT_MS: "4000", ...options.env },
    skipSetup: options.skipSetup,
  });
}

/** A server process of any entry (startServer with a playbook of its own), signed in as its admin unless skipSetup. */
export async function startSignedInServer(options: ServerProcessOptions & { skipSetup?: boolean }): Promise<DrillServer> {
  const server = await startServerProcess(options);
  // As its admin (made with the console's setup token), unless the test does that itself.
  const session: ServerSession | null = options.skipSetup ? null : await signInWithSetupToken(server.url, server.output);
  const signedIn = () => {
    if (!session) throw new Error("This server was started with skipSetup.");
    return session;
  };
  return {
    url: server.url,
    pid: server.pid,
    fetch: (path, init) => signedIn().fetch(path, init),
    signIn: (context) => signedIn().addTo(context),
    output: server.output,
    kill9: server.kill9,
    restart: server.restart,
    stop: server.stop,
  };
}

/** A complete plan (every password set) whose first host is the controller and the others computes. */
export function createDrillPlan(server: Pick<DrillServer, "fetch">, hosts: LoopbackSshd[], servicePassword: (name: string) => string): Promise<PlanView> {
  return createPlan(server, (plan) => drillPlanUpdate(plan.settings, hosts, servicePassword));
}

/** A new plan on the server, saved with the update made from it (as the wizard's pages save theirs). */
export async function createPlan(server: Pick<DrillServer, "fetch">, updateOf: (plan: PlanView) => PlanUpdate): Promise<PlanView> {
  const plan = (await (await server.fetch("/api/plans", { method: "POST" })).json()) as PlanView;
  const response = await server.fetch(`/api/plans/${plan.id}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(updateOf(plan)) });
  if (!response.ok) throw new Error(`Could not save the plan: ${await response.text()}`);
  return (await response.json()) as PlanView;
}
