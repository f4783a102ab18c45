import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { startLoopbackSshd, type LoopbackSshd } from "../server/testing/loopbackSshd";
import { drillSleepers, drillSteering } from "../server/testing/drillPlaybook";
import { createDrillPlan, startDrillServer, type DrillServer } from "./support/drill";

// This suite's own loopback hosts and server.
const CT = "127.0.0.181";
const C1 = "127.0.0.182";
const SSH_PORT = 2222;
const SERVER_PORT = 3221;
const DATA_DIR = "/tmp/stackpilot-e2e-recovery";
const DRILL_DIR = "/tmp/stackpilot-e2e-recovery-drill";
const SHOTS = "test-results/screenshots";

let ct: LoopbackSshd;
let c1: LoopbackSshd;
let server: DrillServer;
let planId: string;
const { steer, unsteer } = drillSteering(DRILL_DIR);

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rmSync(DRILL_DIR, { recursive: true, force: true });
  mkdirSync(DRILL_DIR, { recursive: true, mode: 0o777 });
  execFileSync("chmod", ["777", DRILL_DIR]);
  ct = await startLoopbackSshd({ address: CT, port: SSH_PORT, user: "sp-recovery" });
  c1 = await startLoopbackSshd({ address: C1, port: SSH_PORT, user: "sp-recovery", password: ct.password });
  server = await startDrillServer({ port: SERVER_PORT, dataDir: DATA_DIR, drillDir: DRILL_DIR });
});

test.afterAll(async () => {
  await server?.stop();
  await ct?.stop();
  await c1?.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
});

test.describe.configure({ mode: "serial" });

// The page signs in to the drill server as its admin (a cookie of its own, named after its port).
test.beforeEach(async ({ context }) => server.signIn(context));

test("a failed step shows its cause, is retried in the browser, survives a kill -9 of the server and resumes to the end", async ({ page }) => {
  test.setTimeout(180_000);
  const plan = await createDrillPlan(server, [ct, c1], (name) => `${name} '"$\`x`);
  planId = plan.id;
  steer("ct/gate-open");

  // Two deploy requests at the same moment: exactly one run; the second is told and joins it.
  const answers = await Promise.all([1, 2].map(() => server.fetch(`/api/plans/${plan.id}/deployments`, { method: "POST" })));
  expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
  const bodies = await Promise.all(answers.map((a) => a.json()));
  const runId: string = bodies.find((b) => !b.error).id;
  expect(bodies.find((b) => b.error).run.id).toBe(runId);
  expect(bodies.find((b) => b.error).error).toBe("A deployment of this plan is already running.");

  await page.goto(`${server.url}/runs/${runId}`);
  const status = page.getByTestId("run-status").locator("[data-status]");
  await expect(status).toHaveAttribute("data-status", "failed");
  const gateC1 = page.getByTestId("step-drill.gate-c1");
  await expect(gateC1).toHaveAttribute("data-status", "failed");
  // The triage says what is wrong in one sentence.
  await expect(gateC1.getByTestId("triage-hint")).toContainText("KEYSTONE_DBPASS");
  await page.screenshot({ path: `${SHOTS}/run-failed-triage.png`, fullPage: true });

  // Fix c1, retry just that step: it passes and the run pauses.
  steer("c1/gate-open");
  await gateC1.getByRole("button", { name: "Retry this step" }).click();
  await expect(gateC1).toHaveAttribute("data-status", "succeeded");
  await expect(status).toHaveAttribute("data-status", "paused");

  // Resume into a long step, then kill the server with -9 in the middle of it.
  steer("ct/long-seconds", "60");
  await page.getByRole("button", { name: "Resume" }).click();
  const longCt = page.getByTestId("step-drill.long-ct");
  await expect(longCt).toHaveAttribute("data-status", "running");
  await expect(page.getByRole("log")).toContainText("tick 2 of 60");
  await server.kill9();
  await expect(page.getByTestId("stream-state")).toHaveText("reconnecting…");

  await server.restart();
  await expect(page.getByTestId("stream-state")).toHaveText("● live", { timeout: 30_000 });
  await expect(longCt).toHaveAttribute("data-status", "interrupted");
  await expect(status).toHaveAttribute("data-status", "interrupted");
  await expect(page.getByRole("alert").filter({ hasText: "The StackPilot server stopped while this was running." }).first()).toBeVisible();

  // Resume from the interrupted step: the earlier attempt still running on ct is stopped first.
  steer("ct/long-seconds", "1");
  const clicked = Date.now();
  await page.getByRole("button", { name: "Resume from interrupted step" }).click();
  await expect(longCt).toHaveAttribute("data-status", /running|succeeded/);
  console.log(`Resume: ${Date.now() - clicked} ms from the click to the step running again.`);
  await expect(status).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  expect(drillSleepers("ct")).toEqual([]);
  // The step counted its attempts: first, interrupted, resumed.
  const run = await (await server.fetch(`/api/runs/${runId}`)).json();
  expect(run.stepRuns.find((s: { stepKey: string; hostName: string }) => s.stepKey === "drill.long" && s.hostName === "ct").attempt).toBe(2);
  await page.screenshot({ path: `${SHOTS}/run-resumed.png`, fullPage: true });
});

test("Cancel in the browser stops the remote command for real", async ({ page }) => {
  test.setTimeout(120_000);
  unsteer("ct/long-done");
  unsteer("c1/long-done");
  steer("ct/long-seconds", "300");
  steer("c1/long-seconds", "300");
  const answer = await server.fetch(`/api/plans/${planId}/deployments`, { method: "POST" });
  const { id: runId } = await answer.json();

  await page.goto(`${server.url}/runs/${runId}`);
  await expect(page.getByTestId("step-drill.long-ct")).toHaveAttribute("data-status", "running");
  await expect.poll(() => drillSleepers("ct").length).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Yes, cancel the run" }).click();
  await expect(page.getByTestId("run-status").locator("[data-status]")).toHaveAttribute("data-status", "cancelled");
  await expect(page.getByTestId("step-drill.long-ct")).toHaveAttribute("data-status", "cancelled");
  // Cancelled means gone: nothing of the step is left on either host.
  expect(drillSleepers("ct")).toEqual([]);
  expect(drillSleepers("c1")).toEqual([]);
  await expect(page.getByRole("button", { name: "Resume from cancelled step" })).toBeVisible();
});
