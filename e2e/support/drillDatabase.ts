import Database from "better-sqlite3";
import path from "node:path";

/**
 * Writes into a drill server's scratch database what the runner would have stored but the drill
 * does not produce (it checks no ports and prints no colours), for pages that show them.
 */
export function withDrillDatabase<T>(dataDir: string, use: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, "stackpilot.db"), { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    return use(db);
  } finally {
    db.close();
  }
}

export type StoredPortCheck = { from: string; to: string; port: number; open: boolean; error?: string };

export function addPortChecks(dataDir: string, runId: string, checks: StoredPortCheck[]): void {
  const time = new Date().toISOString();
  withDrillDatabase(dataDir, (db) => {
    const insert = db.prepare(`INSERT INTO "PortCheck" ("runId", "fromHost", "toHost", "port", "open", "error", "checkedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (const c of checks) insert.run(runId, c.from, c.to, c.port, c.open ? 1 : 0, c.error ?? null, time);
  });
}

/** Appends lines of stdout to a step run's log, after the run's last line. */
export function addLogLines(dataDir: string, runId: string, stepRunId: string, texts: string[]): void {
  const time = new Date().toISOString();
  withDrillDatabase(dataDir, (db) => {
    const { seq } = db.prepare(`SELECT COALESCE(MAX("seq"), 0) AS seq FROM "LogLine" WHERE "runId" = ?`).get(runId) as { seq: number };
    const insert = db.prepare(`INSERT INTO "LogLine" ("runId", "stepRunId", "seq", "stream", "text", "time") VALUES (?, ?, ?, 'stdout', ?, ?)`);
    texts.forEach((text, i) => insert.run(runId, stepRunId, seq + 1 + i, text, time));
  });
}
