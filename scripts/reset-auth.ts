// Deletes the wizard's account and sessions, for a forgotten password:
//
//   npm run auth:reset
//
// Plans, runs and their secrets stay. Run it with the server stopped: the setup token is made at
// start, so the next start prints a new one.

import { createPrismaClient } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { env } from "../server/env";
import path from "node:path";

const settings = env();
applyMigrations(settings.databaseFile, path.resolve("prisma/migrations"));
const db = await createPrismaClient(settings.databaseFile);
const sessions = await db.session.deleteMany({});
const users = await db.user.deleteMany({});
await db.$disconnect();
console.log(`Deleted ${users.count} account(s) and ${sessions.count} session(s) in ${settings.databaseFile}. Start the server to get a new setup token.`);
