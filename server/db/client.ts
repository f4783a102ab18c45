import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";

/**
 * A Prisma client on the SQLite file. The process keeps one (see server/context.ts); tests make
 * their own on a scratch file.
 */
export async function createPrismaClient(databaseFile: string): Promise<PrismaClient> {
  const client = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${databaseFile}`, timeout: 10_000 }) });
  // SQLite leaves foreign keys (and so onDelete: Cascade) off unless the connection asks.
  await client.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  // Deleted and overwritten content is zeroed, so a secret replaced by its sealed form (or a
  // deleted one) does not linger in free pages of the file.
  await client.$queryRawUnsafe("PRAGMA secure_delete = ON");
  return client;
}

export type { PrismaClient };
