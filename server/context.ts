import { Auth } from "./auth/auth";
import { createPrismaClient, type PrismaClient } from "./db/client";
import { buildPlaybook } from "@/lib/playbook/buildPlaybook";
import { DeployJob, type PlaybookSource } from "./deploy/deployJob";
import { StepExecutor } from "./deploy/stepExecutor";
import { env, type Env } from "./env";
import { HostCheckJob } from "./hostcheck/hostCheckJob";
import { LogWriter } from "./logs/logWriter";
import { PlanStore } from "./store/planStore";
import { RunEventHub } from "./realtime/runEventHub";
import { RunStore } from "./store/runStore";
import { openSecrets, type OpenedSecrets } from "./secrets/openSecrets";

/** The server's long-lived parts, built once per process. */
export type AppContext = {
  env: Env;
  db: PrismaClient;
  /** The secret key, loaded once at start, and what opening it did (see secrets/openSecrets.ts). */
  secrets: OpenedSecrets;
  /** The admin account, sessions and the one-time setup token. */
  auth: Auth;
  hub: RunEventHub;
  plans: PlanStore;
  runs: RunStore;
  logs: LogWriter;
  hostCheck: HostCheckJob;
  deploy: DeployJob;
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
  const db = await createPrismaClient(settings.databaseFile);
  let secrets: OpenedSecrets;
  try {
    secrets = await openSecrets(db, settings);
  } catch (error) {
    await db.$disconnect();
    throw error;
  }
  const hub = new RunEventHub();
  const runs = new RunStore(db, hub);
  const logs = new LogWriter(db, hub);
  const ssh = {
    readyTimeoutMs: settings.SSH_READY_TIMEOUT_MS,
    keepaliveIntervalMs: settings.SSH_KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: settings.SSH_KEEPALIVE_COUNT_MAX,
  };
  return {
    env: settings,
    db,
    secrets,
    auth: new Auth(db, settings.dataDir, settings.PORT),
    hub,
    plans: new PlanStore(db, secrets.box),
    runs,
    logs,
    hostCheck: new HostCheckJob(runs, logs, ssh),
    deploy: new DeployJob(runs, logs, new StepExecutor(db, runs, logs, hub), ssh, options.playbookFor ?? buildPlaybook),
  };
}
