import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Applies prisma/migrations/<name>/migration.sql in name order, each in a transaction, and records
 * it in Prisma's own `_prisma_migrations` table. Prisma's CLI needs an engine download that this
 * tool cannot rely on; this runner works offline and stays compatible with `prisma migrate deploy`.
 */
export function applyMigrations(databaseFile: string, migrationsDir: string): string[] {
  const db = new Database(databaseFile);
  try {
    // WAL lets the dashboard read while the log writer writes; the setting stays with the file.
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const applied = new Set(
      db
        .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all()
        .map((row) => (row as { migration_name: string }).migration_name),
    );
    const record = db.prepare(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES (?, ?, ?, ?, ?, 1)`,
    );
    const newlyApplied: string[] = [];
    // Prisma rebuilds a table to change it (CREATE new_X, copy, DROP X). With foreign keys on, the
    // DROP would cascade and delete the rows that point at X; inside a transaction SQLite ignores
    // the script's own PRAGMA foreign_keys=OFF, so turn them off here and check them afterwards.
    db.pragma("foreign_keys = OFF");
    for (const name of listMigrations(migrationsDir)) {
      if (applied.has(name)) continue;
      const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const startedAt = new Date().toISOString();
      db.transaction(() => {
        db.exec(sql);
        const broken = db.pragma("foreign_key_check") as unknown[];
        if (broken.length > 0) throw new Error(`Migration ${name} leaves ${broken.length} rows with broken foreign keys.`);
        record.run(randomUUID(), checksum, new Date().toISOString(), name, startedAt);
      })();
      newlyApplied.push(name);
    }
    return newlyApplied;
  } finally {
    db.close();
  }
}

function listMigrations(migrationsDir: string): string[] {
  if (!existsSync(migrationsDir)) throw new Error(`No migrations folder at ${migrationsDir}`);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}
