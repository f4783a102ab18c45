import path from "node:path";
import { defineConfig } from "prisma/config";

// The wizard applies migrations itself at start (server/db/migrate.ts); this file only tells the
// Prisma CLI where the schema and the database are, for `prisma generate` and `prisma studio`.
const dataDir = process.env.DATA_DIR ?? "data";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: `file:${path.resolve(dataDir, "stackpilot.db")}` },
});
