import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate";

const committed = path.resolve("prisma/migrations");
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sp-migrate-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("applyMigrations", () => {
  it("applies every committed migration once, recorded the way Prisma records them", () => {
    const file = path.join(scratch(), "db.sqlite");
    const names = readdirSync(committed).filter((n) => /^\d+_/.test(n)).sort();
    expect(applyMigrations(file, committed)).toEqual(names);
    expect(applyMigrations(file, committed)).toEqual([]);
    const db = new Database(file);
    const rows = db.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name").all() as { migration_name: string; checksum: string; finished_at: string }[];
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at)).toBe(true);
    db.close();
  });

  it("keeps existing runs, step runs and log lines when a later migration rebuilds their tables", () => {
    const dir = scratch();
    const first = path.join(dir, "first");
    const names = readdirSync(committed).filter((n) => /^\d+_/.test(n)).sort();
    cpSync(path.join(committed, names[0]), path.join(first, names[0]), { recursive: true });
    const file = path.join(dir, "db.sqlite");
    applyMigrations(file, first);

    const db = new Database(file);
    db.exec(`INSERT INTO Plan (id, name, profile, settings, updatedAt) VALUES ('p', 'x', 'debian12-zed', '{}', 0);
      INSERT INTO Run (id, planId, kind, status, planSnapshot, planHash) VALUES ('r', 'p', 'deploy', 'failed', '{}', 'h');
      INSERT INTO StepRun (id, runId, stepKey, hostId, hostName, position, status) VALUES ('s', 'r', 'base.hostname', 'h1', 'ct', 0, 'failed');
      INSERT INTO LogLine (runId, stepRunId, seq, stream, text, time) VALUES ('r', 's', 1, 'stdout', 'kept', 0);`);
    db.close();

    applyMigrations(file, committed);
    const after = new Database(file);
    expect(after.prepare("SELECT COUNT(*) AS n FROM StepRun").get()).toEqual({ n: 1 });
    expect(after.prepare("SELECT text FROM LogLine").all()).toEqual([{ text: "kept" }]);
    after.close();
  });

  it("keeps the newest of several active runs of a plan when the one-active-run index comes, and the index then refuses another", () => {
    const dir = scratch();
    const before = path.join(dir, "before");
    const names = readdirSync(committed).filter((n) => /^\d+_/.test(n)).sort();
    const indexAt = names.findIndex((n) => n.endsWith("_one_active_run_per_plan"));
    for (const name of names.slice(0, indexAt)) cpSync(path.join(committed, name), path.join(before, name), { recursive: true });
    const file = path.join(dir, "db.sqlite");
    applyMigrations(file, before);

    // What two servers on one data directory could leave behind.
    const db = new Database(file);
    db.exec(`INSERT INTO Plan (id, name, profile, settings, updatedAt) VALUES ('p', 'x', 'debian12-zed', '{}', 0);
      INSERT INTO Run (id, planId, kind, status, planSnapshot, planHash, createdAt) VALUES
        ('older', 'p', 'deploy', 'running', '{}', 'h', '2026-12-07T10:00:00.000+00:00'),
        ('newer', 'p', 'deploy', 'running', '{}', 'h', '2026-12-07T10:05:00.000+00:00'),
        ('check', 'p', 'host-check', 'running', '{}', 'h', '2026-12-07T09:00:00.000+00:00');
      INSERT INTO StepRun (id, runId, stepKey, hostId, hostName, position, status) VALUES
        ('s-older', 'older', 'base.hostname', 'h1', 'ct', 0, 'running'),
        ('s-newer', 'newer', 'base.hostname', 'h1', 'ct', 0, 'running');`);
    db.close();

    applyMigrations(file, committed);
    const after = new Database(file);
    expect(after.prepare("SELECT id, status FROM Run ORDER BY id").all()).toEqual([
      { id: "check", status: "running" },
      { id: "newer", status: "running" },
      { id: "older", status: "interrupted" },
    ]);
    expect(after.prepare("SELECT id, status FROM StepRun ORDER BY id").all()).toEqual([
      { id: "s-newer", status: "running" },
      { id: "s-older", status: "interrupted" },
    ]);
    expect(() => after.exec(`INSERT INTO Run (id, planId, kind, status, planSnapshot, planHash) VALUES ('third', 'p', 'deploy', 'pending', '{}', 'h')`)).toThrow(/UNIQUE constraint failed/);
    after.close();
  });
});

