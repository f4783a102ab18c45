import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import type { RunView } from "../lib/runs/runView";
import { drillSleepers, drillSteering } from "../server/testing/drillPlaybook";
import { startLoopbackSshd, type LoopbackSshd } from "../server/testing/loopbackSshd";
import { runServerUntilExit } from "../server/testing/serverProcess";
import { createDrillPlan, startDrillServer, type DrillServer } from "./support/drill";

// This suite's own loopback host and servers.
const CT = "127.0.0.191";
const SSH_PORT = 2222;
const SERVER_PORT = 3261;
const SECOND_PORT = 3262;
const DATA_DIR = "/tmp/stackpilot-e2e-onedir";
const DRILL_DIR = "/tmp/stackpilot-e2e-onedir-drill";

let ct: LoopbackSshd;
let server: DrillServer;
let planId: string;
const { steer, unsteer } = drillSteering(DRILL_DIR);

/** Another `npm start` of the same build on the same data directory, run until it exits. */
const secondStart = (port: number) => runServerUntilExit({ entry: "e2e/support/drillServer.ts", name: "second server", port, dataDir: DATA_DIR, env: { DRILL_DIR } });
const runOf = async (runId: string): Promise<RunView> => (await server.fetch(`/api/runs/${runId}`)).json();
const stepStatus = async (runId: string, stepKey: string) => (await runOf(runId)).stepRuns.find((s) => s.stepKey === stepKey)?.status;

async function deploy(): Promise<string> {
  const answer = await server.fetch(`/api/plans/${planId}/deployments`, { method: "POST" });
  expect(answer.status).toBe(202);
  const { id } = await answer.json();
  await expect.poll(() => stepStatus(id, "drill.long"), { timeout: 30_000 }).toBe("running");
  return id;
}

test.beforeAll(async () => {
  rmSync(DRILL_DIR, { recursive: true, force: true });
  mkdirSync(DRILL_DIR, { recursive: true, mode: 0o777 });
  execFileSync("chmod", ["777", DRILL_DIR]);
  ct = await startLoopbackSshd({ address: CT, port: SSH_PORT, user: "sp-onedir" });
  server = await startDrillServer({ port: SERVER_PORT, dataDir: DATA_DIR, drillDir: DRILL_DIR });
  planId = (await createDrillPlan(server, [ct], (name) => `${name}-onedir`)).id;
  steer("ct/gate-open");
});

test.afterAll(async () => {
  await server?.stop();
  await ct?.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
  rmSync(DRILL_DIR, { recursive: true, force: true });
});

test.describe.configure({ mode: "serial" });

test("a second server on the same data directory names the first, exits, and leaves its running deployment alone", async () => {
  test.setTimeout(120_000);
  steer("ct/long-seconds", "8");
  const runId = await deploy();

  // On another port, as in the report (PORT=3001 while a deployment ran on 3000).
  const second = await secondStart(SECOND_PORT);
  expect(second.exitCode).toBe(1);
  expect(second.output).toContain(`Another StackPilot server is already running on the data directory ${DATA_DIR}: process ${server.pid()}, at ${server.url} (started `);
  expect(second.output).toContain(`stop it first (kill ${server.pid()})`);
  // A plain second start on the same port meets the same lock first, not a bare EADDRINUSE.
  const samePort = await secondStart(SERVER_PORT);
  expect(samePort.exitCode).toBe(1);
  expect(samePort.output).toContain(`process ${server.pid()}, at ${server.url}`);
  expect(samePort.output).not.toContain("EADDRINUSE");

  // The first server's deployment was not marked interrupted and runs on to the end.
  const during = await runOf(runId);
  expect(during.status).toBe("running");
  expect(during.stepRuns.filter((s) => s.status === "interrupted")).toEqual([]);
  await expect.poll(async () => (await runOf(runId)).status, { timeout: 60_000 }).toBe("succeeded");
  const after = await runOf(runId);
  expect(after.error).toBeNull();
  expect(after.stepRuns.find((s) => s.stepKey === "drill.long")).toMatchObject({ status: "succeeded", attempt: 1 });
});

test("a start on a busy port says so and changes nothing; after a kill -9 the next start takes the data directory over", async () => {
  test.setTimeout(150_000);
  unsteer("ct/long-done");
  steer("ct/long-seconds", "60");
  const runId = await deploy();
  const killedPid = server.pid();
  await server.kill9();

  // Another program holds the port the next start asks for.
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(SECOND_PORT, "127.0.0.1", resolve));
  try {
    const busy = await secondStart(SECOND_PORT);
    expect(busy.exitCode).toBe(1);
    expect(busy.output).toMatch(new RegExp(`Port ${SECOND_PORT} on 127\\.0\\.0\\.1 is already in use by another program; start with PORT=\\d+, or stop that program first\\.`));
    expect(busy.output).not.toContain("Marked");
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
  // Nothing changed: the killed server's run and its step are still as it left them.
  const db = new Database(path.join(DATA_DIR, "stackpilot.db"), { readonly: true });
  try {
    expect(db.prepare(`SELECT status FROM "Run" WHERE id = ?`).get(runId)).toEqual({ status: "running" });
    expect(db.prepare(`SELECT status FROM "StepRun" WHERE "runId" = ? AND "stepKey" = 'drill.long'`).get(runId)).toEqual({ status: "running" });
  } finally {
    db.close();
  }

  // The killed server's lock went with it: the next start takes over, names it, and marks the run.
  await server.restart();
  expect(server.output()).toContain(`The StackPilot server before this one (process ${killedPid}, ${server.url}) ended without shutting down`);
  expect(server.output()).toContain("Marked 1 unfinished run(s) as interrupted.");
  expect((await runOf(runId)).status).toBe("interrupted");

  // And the run resumes there (the leftover command of the killed server is stopped first).
  steer("ct/long-seconds", "1");
  const resumed = await server.fetch(`/api/runs/${runId}/resume`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(resumed.status).toBe(202);
  await expect.poll(async () => (await runOf(runId)).status, { timeout: 60_000 }).toBe("succeeded");
  expect(drillSleepers("ct")).toEqual([]);
});
