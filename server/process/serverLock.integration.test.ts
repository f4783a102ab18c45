import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirInUse, lockDataDir } from "./serverLock";

const dirs: string[] = [];
const children: ChildProcess[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sp-lock-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  children.splice(0).forEach((child) => child.kill("SIGKILL"));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** Another process that takes the data directory as a server does and keeps it until killed. */
async function holderProcess(dataDir: string, url: string): Promise<ChildProcess> {
  const code = `const { lockDataDir } = await import(${JSON.stringify(path.resolve("server/process/serverLock.ts"))});
    lockDataDir(${JSON.stringify(dataDir)}).announce(${JSON.stringify(url)});
    console.log("held");
    setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => String(chunk).includes("held") && resolve());
    child.once("exit", (status) => reject(new Error(`The holder exited (${status}) before taking the lock.`)));
  });
  return child;
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

describe("lockDataDir", () => {
  it("refuses a data directory another process holds, naming its pid and address", async () => {
    const dir = scratch();
    const holder = await holderProcess(dir, "http://127.0.0.1:3000");
    let refusal: unknown;
    try {
      lockDataDir(dir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirInUse);
    const message = (refusal as DataDirInUse).message;
    expect(message).toMatch(new RegExp(`^Another StackPilot server is already running on the data directory ${dir}: process ${holder.pid}, at http://127\\.0\\.0\\.1:3000 \\(started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)\\.`));
    expect(message).toContain(`stop it first (kill ${holder.pid})`);
  });

  it("is free again once the holder is killed with -9, and names the holder that did not shut down", async () => {
    const dir = scratch();
    const holder = await holderProcess(dir, "http://127.0.0.1:3000");
    await killed(holder);
    const lock = lockDataDir(dir);
    expect(lock.previous).toMatchObject({ pid: holder.pid, url: "http://127.0.0.1:3000" });
    lock.announce("http://127.0.0.1:3001");
    expect(JSON.parse(readFileSync(path.join(dir, "server.json"), "utf8"))).toMatchObject({ pid: process.pid, url: "http://127.0.0.1:3001" });
    lock.release();
    // Released cleanly: nothing names a holder any more, and the next start takes it at once.
    expect(existsSync(path.join(dir, "server.json"))).toBe(false);
    const next = lockDataDir(dir);
    expect(next.previous).toBeNull();
    next.release();
  });

  it("takes over a holder file whose process is gone, even if its pid is in use again", async () => {
    const dir = scratch();
    // A leftover naming a pid that exists right now (this very process): the pid alone proves nothing.
    writeFileSync(path.join(dir, "server.json"), JSON.stringify({ pid: process.pid, url: "http://127.0.0.1:3000", startedAt: "2026-01-01T00:00:00.000Z" }));
    const lock = lockDataDir(dir);
    expect(lock.previous).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("holds one lock per process: a second take in the same process is refused too", () => {
    const dir = scratch();
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUse);
    lock.release();
  });
});

/** `npm start`'s check before it builds (startCheck.ts), as its own process: exit status and what it printed. */
function startCheck(dataDir: string, port: number): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/process/startCheck.ts"], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("exit", (status) => resolve({ status, stderr })));
}

describe("npm start's check before it builds", () => {
  const PORT = 3293;

  it("passes on a free data directory and port (also one not made yet), and takes neither", async () => {
    const dir = scratch();
    expect(await startCheck(path.join(dir, "not-yet"), PORT)).toEqual({ status: 0, stderr: "" });
    expect(await startCheck(dir, PORT)).toEqual({ status: 0, stderr: "" });
    lockDataDir(dir).release();
  });

  it("stops at a data directory another server holds, naming it, before any build", async () => {
    const dir = scratch();
    const holder = await holderProcess(dir, "http://127.0.0.1:3000");
    const { status, stderr } = await startCheck(dir, PORT);
    expect(status).toBe(1);
    expect(stderr).toContain(`Another StackPilot server is already running on the data directory ${dir}: process ${holder.pid}, at http://127.0.0.1:3000`);
  });

  it("stops at a busy port, saying so", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(PORT, "127.0.0.1", resolve));
    try {
      const { status, stderr } = await startCheck(scratch(), PORT);
      expect(status).toBe(1);
      expect(stderr).toMatch(new RegExp(`^Port ${PORT} on 127\\.0\\.0\\.1 is already in use by another program; start with PORT=\\d+`));
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
