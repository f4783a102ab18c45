import { createPrismaClient } from "../db/client";
import type { RunEventHub } from "../realtime/runEventHub";
import { openSecrets, type OpenedSecrets } from "../secrets/openSecrets";
import { ImageStore } from "./imageStore";
import { LogStore } from "./logStore";
import { PlanStore } from "./planStore";
import { RunHistory } from "./runHistory";
import { RunStore } from "./runStore";
import { SecretStore } from "./secretStore";
import { SessionStore } from "./sessionStore";
import { UserStore } from "./userStore";

/**
 * Every store on one SQLite file. These modules (server/store/) are the only ones that talk to
 * the database; everything else asks them.
 */
export type Stores = {
  plans: PlanStore;
  runs: RunStore;
  runHistory: RunHistory;
  logLines: LogStore;
  users: UserStore;
  sessions: SessionStore;
  /** The VM image uploaded for each plan (its file beside the database). */
  images: ImageStore;
  /** The secret key, loaded once at start, and what opening it did (see secrets/openSecrets.ts). */
  secrets: OpenedSecrets;
  /** Closes the database (tests and scripts; the server keeps it open to the end). */
  close(): Promise<void>;
};

/**
 * Opens the database (migrated already) and the stores on it. Loads the secret key first (made at
 * first start) and seals secrets an older version kept in plain text: the plans' store needs it.
 */
export async function openStores(where: { dataDir: string; databaseFile: string }, hub: RunEventHub): Promise<Stores> {
  const db = await createPrismaClient(where.databaseFile);
  let secrets: OpenedSecrets;
  try {
    secrets = await openSecrets(new SecretStore(db), where);
  } catch (error) {
    await db.$disconnect();
    throw error;
  }
  return {
    plans: new PlanStore(db, secrets.box),
    runs: new RunStore(db, hub),
    runHistory: new RunHistory(db),
    logLines: new LogStore(db),
    users: new UserStore(db),
    sessions: new SessionStore(db),
    images: new ImageStore(db, where.dataDir),
    secrets,
    close: () => db.$disconnect(),
  };
}
