import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { env } from "../env";

/**
 * The one Prisma client of the process. Kept on globalThis because Next's bundle and the custom
 * server can each load their own copy of this module.
 */
const globalForPrisma = globalThis as unknown as { stackpilotPrisma?: PrismaClient };

export function db(): PrismaClient {
  globalForPrisma.stackpilotPrisma ??= new PrismaClient({
    adapter: new PrismaBetterSqlite3({ url: `file:${env().databaseFile}`, timeout: 10_000 }),
  });
  return globalForPrisma.stackpilotPrisma;
}

/** SQLite leaves foreign keys (and so onDelete: Cascade) off unless each connection asks. */
export async function connectDb(): Promise<PrismaClient> {
  const client = db();
  await client.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  return client;
}

export type { PrismaClient };
