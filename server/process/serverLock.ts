import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** Who holds a data directory: written beside the lock for the next start to name it. */
export type LockHolder = { pid: number; url: string; startedAt: string };

/** The data directory is taken: the message says by which process, at which address. */
export class DataDirInUse extends Error {
  override readonly name = "DataDirInUse";
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `Another StackPilot server is already running on the data directory ${dataDir}: process ${holder.pid}, at ${holder.url} (started ${holder.startedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")}). ` +
            `Open that one, or stop it first (kill ${holder.pid}). To run a second server, give it another DATA_DIR.`
        : `Another StackPilot server is starting on the data directory ${dataDir}. Wait for it, or stop it first. To run a second server, give it another DATA_DIR.`,
    );
  }
}

export type ServerLock = {
  /** Who held the directory last and ended without releasing it (kill -9, power loss), if anyone. */
  previous: LockHolder | null;
  /** Names this process and its address as the holder, for the next start's message. */
  announce(url: string): void;
  /** Lets the next server start: also happens by itself when this process ends, however it ends. */
  release(): void;
};

/**
 * One server per data directory. Two servers on one database would each think the other's runs
 * were left over from a crash, and each guard only its own deployments.
 *
 * The lock is the kernel's: Node has no flock, so the server keeps an exclusive transaction open
 * on `server.lock` (an SQLite file used for nothing else) for as long as it runs. SQLite takes it
 * with fcntl locks, which the kernel drops when the process ends — even by kill -9 — so a lock
 * is never stale and a reused pid can never pass for the holder. Who holds it is written to
 * `server.json` beside it, for the next start's message.
 */
export function lockDataDir(dataDir: string): ServerLock {
  const lockFile = path.join(dataDir, "server.lock");
  const holderFile = path.join(dataDir, "server.json");
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting for it.
  const db = new Database(lockFile, { timeout: 0 });
  try {
    db.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") throw new DataDirInUse(dataDir, readHolder(holderFile));
    throw error;
  }
  let announced = false;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (announced) rmSync(holderFile, { force: true });
    db.close();
    process.off("exit", release);
  };
  process.on("exit", release);
  return {
    previous: readHolder(holderFile),
    announce: (url) => {
      const me: LockHolder = { pid: process.pid, url, startedAt: new Date().toISOString() };
      // Written whole under a temporary name and renamed, so a reader never sees half of it.
      writeFileSync(`${holderFile}.${process.pid}`, `${JSON.stringify(me)}\n`, { mode: 0o600 });
      renameSync(`${holderFile}.${process.pid}`, holderFile);
      announced = true;
    },
    release,
  };
}

function readHolder(file: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(file, "utf8")) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.url === "string" ? holder : null;
  } catch {
    return null;
  }
}
