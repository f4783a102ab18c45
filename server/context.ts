import { Auth } from "./auth/auth";
import { buildPlaybook } from "@/lib/playbook/buildPlaybook";
import { DeployJob, type PlaybookSource } from "./deploy/deployJob";
import { StepExecutor } from "./deploy/stepExecutor";
import { env, type Env } from "./env";
import { HostCheckJob } from "./hostcheck/hostCheckJob";
import { LogWriter } from "./logs/logWriter";
import { RunEventHub } from "./realtime/runEventHub";
import type { OpenedSecrets } from "./secrets/openSecrets";
import type { ImageStore } from "./store/imageStore";
import type { LogStore } from "./store/logStore";
import type { PlanStore } from "./store/planStore";
import type { RunHistory } from "./store/runHistory";
import type { RunStore } from "./store/runStore";
import { openStores } from "./store/stores";

/**
 * The server's long-lived parts, built once per process. The database is not one of them: the
 * stores (server/store/) hold it, and everything else asks them.
 */
export type AppContext = {
  env: Env;
  /** The secret key, loaded once at start, and what opening it did (see secrets/openSecrets.ts). */
  secrets: OpenedSecrets;
  /** The admin account, sessions and the one-time setup token. */
  auth: Auth;
  hub: RunEventHub;
  plans: PlanStore;
  /** The VM image uploaded for each plan. */
  images: ImageStore;
  runs: RunStore;
  /** Earlier runs: the dashboard's time left, the report's earlier verify output. */
  runHistory: RunHistory;
  /** Reads a run's stored log lines; `logs` writes them. */
  logLines: LogStore;
  logs: LogWriter;
  hostCheck: HostCheckJob;
  deploy: DeployJob;
  /** Closes the database (tests and scripts; the server keeps it open to the end). */
  close(): Promise<void>;
};

// On globalThis: Next's route bundle and the custom server may each load this module, and both
// must see the same database client, runner, writer and hub.
const globalForContext = globalThis as unknown as { stackpilotContext?: Promise<AppContext> };

/** The process's context, built from the environment on first use. */
export function appContext(): Promise<AppContext> {
  globalForContext.stackpilotContext ??= createAppContext(env());
  return globalForContext.stackpilotContext;
}

/** Builds the process's context with these options before anything asks for it. */
export function initAppContext(settings: Env, options: AppOptions = {}): Promise<AppContext> {
  if (globalForContext.stackpilotContext) throw new Error("The app context was built already.");
  globalForContext.stackpilotContext = createAppContext(settings, options);
  return globalForContext.stackpilotContext;
}

export type AppOptions = {
  /** What a deployment runs: the OpenStack playbook; tests of the runner give their own steps. */
  playbookFor?: PlaybookSource;
};

export async function createAppContext(settings: Env, options: AppOptions = {}): Promise<AppContext> {
  const hub = new RunEventHub();
  const stores = await openStores(settings, hub);
  const { plans, runs } = stores;
  const logs = new LogWriter(stores.logLines, hub);
  const ssh = {
    readyTimeoutMs: settings.SSH_READY_TIMEOUT_MS,
    keepaliveIntervalMs: settings.SSH_KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: settings.SSH_KEEPALIVE_COUNT_MAX,
  };
  return {
    env: settings,
    secrets: stores.secrets,
    auth: new Auth(stores.users, stores.sessions, settings.dataDir, settings.PORT),
    hub,
    plans,
    images: stores.images,
    runs,
    runHistory: stores.runHistory,
    logLines: stores.logLines,
    logs,
    hostCheck: new HostCheckJob(runs, logs, ssh, plans),
    deploy: new DeployJob(runs, logs, new StepExecutor(runs, logs, hub), ssh, plans, options.playbookFor ?? buildPlaybook, stores.images),
    close: stores.close,
  };
}
