import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RunView } from "../lib/runs/runView";
import { startLoopbackSshd, type LoopbackSshd } from "../server/testing/loopbackSshd";
import { createDrillPlan, startDrillServer, type DrillServer } from "./support/drill";
import { startTcpProxy, type TcpProxy } from "./support/tcpProxy";

/**
 * Issue 5, "Logs lose nothing": a step prints 200 000 lines; the count matches at the host, in
 * SQLite, in the download and in the browser, also after every connection of the browser was cut
 * in the middle; the dashboard stays responsive while it holds them all.
 */

// This suite's own loopback hosts, user and ports.
const CT = "127.0.0.171";
const C1 = "127.0.0.172";
const SSH_PORT = 2222;
const USER = "sp-logscale";
const SERVER_PORT = 3211;
const PROXY_PORT = 3212;
const DATA_DIR = "/tmp/stackpilot-logscale-data";
const DRILL_DIR = "/tmp/stackpilot-logscale-drill";
const FLOOD_LINES = 200_000;
const SHOTS = "test-results/screenshots";

let ct: LoopbackSshd;
let c1: LoopbackSshd;
let server: DrillServer;
let proxy: TcpProxy;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  ct = await startLoopbackSshd({ address: CT, port: SSH_PORT, user: USER });
  c1 = await startLoopbackSshd({ address: C1, port: SSH_PORT, user: USER, password: ct.password });
  rmSync(DRILL_DIR, { recursive: true, force: true });
  mkdirSync(DRILL_DIR, { recursive: true });
  execFileSync("chmod", ["777", DRILL_DIR]);
  // The gate lets both hosts through; the flood step prints FLOOD_LINES lines.
  for (const host of ["ct", "c1"]) {
    execFileSync("mkdir", ["-p", "-m", "777", path.join(DRILL_DIR, host)]);
    writeFileSync(path.join(DRILL_DIR, host, "gate-open"), "", { mode: 0o666 });
  }
  writeFileSync(path.join(DRILL_DIR, "flood-lines"), String(FLOOD_LINES), { mode: 0o666 });
  server = await startDrillServer({ port: SERVER_PORT, dataDir: DATA_DIR, drillDir: DRILL_DIR });
  // The browser talks to the server only through this proxy, so the test can cut it off at once.
  proxy = await startTcpProxy({ listenPort: PROXY_PORT, targetPort: SERVER_PORT });
});

test.afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  await ct?.stop();
  await c1?.stop();
  rmSync(DRILL_DIR, { recursive: true, force: true });
  rmSync(DATA_DIR, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The page signs in to the drill server as its admin (a cookie of its own, named after its port).
test.beforeEach(async ({ context }) => server.signIn(context));

test("200 000 lines reach SQLite, the download and the browser exactly, across a cut connection", async ({ page }) => {
  test.setTimeout(600_000);
  // Long tasks of the page's main thread, from the first script on.
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: "longtask", buffered: true });
  });

  const plan = await createDrillPlan(server, [ct, c1], (name) => `${name}-'"$-logscale-42`);
  const deployedAt = Date.now();
  const response = await server.fetch(`/api/plans/${plan.id}/deployments`, { method: "POST" });
  expect(response.status).toBe(202);
  const run = (await response.json()) as RunView;
  const flood = run.stepRuns.find((s) => s.stepKey === "drill.flood")!;

  // SQLite, read on the side (WAL: the server writes on): when is the whole flood stored?
  const db = new Database(path.join(DATA_DIR, "stackpilot.db"), { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const floodCount = () => (db.prepare(`SELECT COUNT(*) AS n FROM "LogLine" WHERE "stepRunId" = ? AND "stream" = 'stdout'`).get(flood.id) as { n: number }).n;
  let storedAllAt = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching && storedAllAt === 0) {
      if (floodCount() >= FLOOD_LINES) storedAllAt = Date.now();
      else await sleep(100);
    }
  })();

  try {
    await page.goto(`${proxy.url}/runs/${run.id}`);
    const count = page.getByTestId("log-line-count");
    const state = page.getByTestId("stream-state");
    await expect(state).toHaveText("● live");
    // Every state the stream shows, in order, however briefly.
    await state.evaluate((element) => {
      const w = window as unknown as { __states: string[] };
      w.__states = [element.textContent ?? ""];
      new MutationObserver(() => w.__states.push(element.textContent ?? "")).observe(element, { childList: true, characterData: true, subtree: true });
    });

    // Midway: every connection between the browser and the server is cut at once.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="log-line-count"]')?.getAttribute("data-count") ?? 0) >= 20_000, null, { polling: 20, timeout: 300_000 });
    const heldAtCut = Number(await count.getAttribute("data-count"));
    const cut = proxy.cutAll();
    console.log(`Cut ${cut} connections with ${heldAtCut} lines in the browser.`);
    expect(heldAtCut).toBeLessThan(150_000);
    expect(cut).toBeGreaterThan(0);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __states: string[] }).__states), { timeout: 10_000 }).toContain("reconnecting…");
    await expect(state).toHaveText("● live", { timeout: 30_000 });

    // The run ends; the browser holds exactly the lines SQLite holds.
    const runNow = async () => (await (await server.fetch(`/api/runs/${run.id}`)).json()) as RunView;
    await expect.poll(async () => (await runNow()).status, { timeout: 400_000, intervals: [500] }).not.toMatch(/^(pending|running)$/);
    const finished = await runNow();
    expect({ status: finished.status, error: finished.error, failed: finished.stepRuns.filter((s) => s.status !== "succeeded").map((s) => `${s.stepKey}@${s.hostName}: ${s.error}`) }).toEqual({
      status: "succeeded",
      error: null,
      failed: [],
    });
    await expect(page.getByTestId("run-status")).toContainText("succeeded");
    await watcher;
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM "LogLine" WHERE "runId" = ?`).get(run.id) as { n: number }).n;
    const maxSeq = (db.prepare(`SELECT MAX("seq") AS m FROM "LogLine" WHERE "runId" = ?`).get(run.id) as { m: number }).m;
    expect(floodCount()).toBe(FLOOD_LINES);
    expect(maxSeq).toBe(total);
    await expect(count).toHaveAttribute("data-count", String(total), { timeout: 120_000 });
    const inBrowserAt = Date.now();

    // The download: every stored line, one per line, in seq order, the flood complete.
    const download = await page.request.get(`${proxy.url}/api/runs/${run.id}/log`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("text/plain; charset=utf-8");
    expect(download.headers()["content-disposition"]).toBe(`attachment; filename="stackpilot-run-${run.id}.log"`);
    const lines = (await download.text()).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.length).toBe(total);
    const floodLines = lines.filter((l) => / ct stdout flood line \d+$/.test(l));
    expect(floodLines.length).toBe(FLOOD_LINES);
    expect(floodLines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ct stdout flood line 1$/);
    expect(floodLines.at(-1)).toMatch(/ ct stdout flood line 200000$/);
    expect(floodLines.every((l, i) => l.endsWith(` flood line ${i + 1}`))).toBe(true);
    for (const name of ["ADMIN_PASS"]) expect(lines.join("\n")).not.toContain(`${name}-'"$-logscale-42`);
    expect(lines).toContainEqual(expect.stringMatching(/ ct stdout the secret is ••••••, said in two pieces$/));

    const hostCount = (host: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM "LogLine" l JOIN "StepRun" s ON s."id" = l."stepRunId" WHERE l."runId" = ? AND s."hostName" = ?`).get(run.id, host) as { n: number }).n;
    const c1Count = hostCount("c1");
    const c1Download = (await (await page.request.get(`${proxy.url}/api/runs/${run.id}/log?host=c1`)).text()).split("\n").filter(Boolean);
    expect(c1Download.length).toBe(c1Count);
    expect(c1Download.every((l) => / c1 (stdout|stderr|system) /.test(l))).toBe(true);
    expect((await page.request.get(`${proxy.url}/api/runs/no-such-run/log`)).status()).toBe(404);

    // The link on the page downloads the same file.
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download full log" }).click()]);
    expect(file.suggestedFilename()).toBe(`stackpilot-run-${run.id}.log`);
    expect(readFileSync((await file.path())!, "utf8").split("\n").length - 1).toBe(total);

    // Responsive with every line held: back to the top, the first flood line is there within a second.
    const log = page.getByRole("log");
    await page.getByLabel("Follow").uncheck();
    let started = Date.now();
    await log.evaluate((element) => element.scrollTo({ top: 0 }));
    const firstFloodLine = log.getByText(/^ct flood line 1$/);
    await expect(firstFloodLine).toBeVisible({ timeout: 1000 });
    const scrollMs = Date.now() - started;
    // The host filter: one host's lines, and back to all of them.
    started = Date.now();
    await page.getByRole("combobox", { name: /^Host/ }).selectOption("c1");
    await expect(count).toHaveAttribute("data-shown", String(c1Count), { timeout: 1000 });
    await expect(log).toContainText("prepared c1");
    await expect(log).not.toContainText("flood line");
    await page.getByRole("combobox", { name: /^Host/ }).selectOption("ct");
    await expect(count).toHaveAttribute("data-shown", String(hostCount("ct")), { timeout: 1000 });
    await page.getByRole("combobox", { name: /^Host/ }).selectOption("");
    await expect(count).toHaveAttribute("data-shown", String(total), { timeout: 1000 });
    const filterMs = Date.now() - started;
    // Following again jumps to the end.
    await page.getByLabel("Follow").check();
    await expect(log).toContainText("said in two pieces", { timeout: 1000 });
    await log.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(page.getByLabel("Follow")).not.toBeChecked();
    await expect(firstFloodLine).toBeVisible({ timeout: 1000 });
    await firstFloodLine.scrollIntoViewIfNeeded();
    await expect(firstFloodLine).toBeInViewport();
    await expect(page.getByLabel("Follow")).not.toBeChecked();
    await page.screenshot({ path: `${SHOTS}/log-200k.png`, fullPage: true });

    const rowsInPage = await log.locator(":scope > div > div > div").count();
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const firstFloodTime = new Date((db.prepare(`SELECT "time" AS t FROM "LogLine" WHERE "stepRunId" = ? ORDER BY "seq" LIMIT 1`).get(flood.id) as { t: string | number }).t).getTime();
    const storeSeconds = (storedAllAt - firstFloodTime) / 1000;
    console.log(
      [
        `Log scale: ${FLOOD_LINES} flood lines (${total} lines in the run).`,
        `SQLite: all flood lines stored ${storeSeconds.toFixed(1)} s after the first was read = ${Math.round(FLOOD_LINES / storeSeconds)} lines/s end to end.`,
        `Browser: all ${total} lines shown ${((inBrowserAt - deployedAt) / 1000).toFixed(1)} s after the deploy request (${((inBrowserAt - firstFloodTime) / 1000).toFixed(1)} s after the first flood line).`,
        `Page: ${rowsInPage} rows in the DOM; scroll to top ${scrollMs} ms; host filter round ${filterMs} ms; long tasks ${longTasks.length}, longest ${Math.round(Math.max(0, ...longTasks))} ms, total ${Math.round(longTasks.reduce((a, b) => a + b, 0))} ms.`,
      ].join("\n"),
    );
    expect(rowsInPage).toBeLessThan(400);
  } finally {
    watching = false;
    await watcher;
    db.close();
  }
});
