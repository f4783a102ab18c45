import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAppContext, type AppContext, type AppOptions } from "../context";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { applyMigrations } from "../db/migrate";
import { env } from "../env";

export type TestContext = AppContext & {
  /**
   * A second connection to the scratch database, for a test to look at (or tamper with) the rows
   * themselves. The app's own parts reach the database only through the stores.
   */
  db: PrismaClient;
  dispose(): Promise<void>;
};

/** A full server context on a scratch SQLite database with the real migrations applied. */
export async function createTestContext(overrides: Partial<AppContext["env"]> = {}, options: AppOptions = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-test-"));
  const databaseFile = path.join(dataDir, "stackpilot.db");
  applyMigrations(databaseFile, path.resolve("prisma/migrations"));
  const ctx = await createAppContext({ ...env(), dataDir, databaseFile, ...overrides }, options);
  const db = await createPrismaClient(databaseFile);
  return {
    ...ctx,
    db,
    dispose: async () => {
      await ctx.hostCheck.idle();
      await ctx.deploy.idle();
      await ctx.logs.flush();
      await db.$disconnect();
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
