import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAppContext, type AppContext, type AppOptions } from "../context";
import { applyMigrations } from "../db/migrate";
import { env } from "../env";

/** A full server context on a scratch SQLite database with the real migrations applied. */
export async function createTestContext(overrides: Partial<AppContext["env"]> = {}, options: AppOptions = {}): Promise<AppContext & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-test-"));
  const databaseFile = path.join(dataDir, "stackpilot.db");
  applyMigrations(databaseFile, path.resolve("prisma/migrations"));
  const ctx = await createAppContext({ ...env(), dataDir, databaseFile, ...overrides }, options);
  return {
    ...ctx,
    dispose: async () => {
      await ctx.hostCheck.idle();
      await ctx.deploy.idle();
      await ctx.logs.flush();
      await ctx.db.$disconnect();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
