import Database from "better-sqlite3";
import path from "node:path";
import { chromium } from "@playwright/test";
import { SERVICE_PORTS, WIZARD } from "@/lib/runs/portMatrix";
import type { RunView } from "@/lib/runs/runView";
import type { LoopbackSshd } from "@/server/testing/loopbackSshd";
import type { BenchServer } from "./serverProcess";

export type HostCheckResult = {
  hosts: number;
  seconds: number;
  succeeded: number;
  failed: string[];
  /** SSH connection times (connect to authenticated) of the hosts checked: median and slowest, ms. */
  connectMs: { median: number; max: number };
  /** When the first and the last host's check finished, s after the POST. */
  firstDoneS: number;
  lastDoneS: number;
};

/** "Check hosts" on every host of a plan through the server's API, from the POST to the run's end. */
export async function measureHostCheck(server: BenchServer, planId: string, hosts: LoopbackSshd[]): Promise<HostCheckResult> {
  const start = process.hrtime.bigint();
  const postedAt = Date.now();
  const response = await server.session.fetch(`/api/plans/${planId}/host-checks`, { method: "POST" });
  if (response.status !== 202) throw new Error(`Check hosts: ${response.status} ${await response.text()}`);
  const run = await server.waitForRun(((await response.json()) as RunView).id, 50);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const failed = run.stepRuns.filter((s) => s.status !== "succeeded").map((s) => `${s.hostName}: ${s.error}`);
  const connects = run.stepRuns.map((s) => (s.result as { connectMs?: number } | null)?.connectMs).filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
  const done = run.stepRuns.map((s) => (s.finishedAt ? (Date.parse(s.finishedAt) - postedAt) / 1000 : NaN)).filter((x) => !Number.isNaN(x));
  return {
    hosts: hosts.length,
    seconds,
    succeeded: run.stepRuns.length - failed.length,
    failed,
    connectMs: { median: connects[Math.floor(connects.length / 2)] ?? NaN, max: connects[connects.length - 1] ?? NaN },
    firstDoneS: Math.min(...done),
    lastDoneS: Math.max(...done),
  };
}

/**
 * A finished deployment run of the plan (one step on every host) with a full port matrix: every
 * route (this machine and each compute → ct) × the nine service ports, stored as the runner stores
 * its checks. The bench writes them itself: probing 909 routes over SSH would only slow the setup.
 */
export async function deployedRunWithPortMatrix(server: BenchServer, planId: string, hostNames: string[]): Promise<{ runId: string; cells: number }> {
  const response = await server.session.fetch(`/api/plans/${planId}/deployments`, { method: "POST" });
  if (response.status !== 202) throw new Error(`Deploy: ${response.status} ${await response.text()}`);
  const run = await server.waitForRun(((await response.json()) as RunView).id);
  if (run.status !== "succeeded") throw new Error(`The touch deployment ended ${run.status}: ${run.error}`);
  const db = new Database(path.join(server.dataDir, "stackpilot.db"), { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const insert = db.prepare(`INSERT INTO "PortCheck" ("runId", "fromHost", "toHost", "port", "open", "error", "checkedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const sources = [WIZARD, ...hostNames.filter((name) => name !== "ct")];
  const now = Date.now();
  let cells = 0;
  db.transaction(() => {
    for (const from of sources) {
      for (const port of SERVICE_PORTS) {
        // One in fifty closed, so the failure list under the matrix is not empty either.
        const open = cells % 50 !== 7;
        insert.run(run.id, from, "ct", port, open ? 1 : 0, open ? null : "connection refused", new Date(now + cells).toISOString());
        cells++;
      }
    }
  })();
  db.close();
  return { runId: run.id, cells };
}

export type DashboardResult = {
  loadsMs: number[];
  /** Per load: when the HTML had arrived, the DOM was parsed, the matrix was complete and the stream live (ms from navigation start). */
  phases: { responseEnd: number; domContentLoaded: number; matrix: number; live: number }[];
  cells: number;
  longTasksMs: number;
};

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * The run's dashboard in Debian's Chromium, `loads` times, each in a fresh browser context (no
 * cache): from navigation start until it is interactive — every cell of the port matrix rendered,
 * the live stream connected, and the page's main thread free to answer (a frame and a task after).
 */
export async function measureDashboard(server: BenchServer, runId: string, lastCellTestId: string, loads: number): Promise<DashboardResult> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const loadsMs: number[] = [];
  const phases: DashboardResult["phases"] = [];
  let cells = 0;
  let longTasksMs = 0;
  try {
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext();
      await server.session.addTo(context);
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { __longTasks: number };
        w.__longTasks = 0;
        new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.__longTasks += e.duration))).observe({ type: "longtask", buffered: true });
      });
      const start = Date.now();
      await page.goto(`${server.url}/runs/${runId}`, { waitUntil: "commit" });
      await page.getByTestId(lastCellTestId).waitFor({ state: "attached", timeout: 60_000 });
      const matrix = Date.now() - start;
      await page.waitForFunction(() => document.querySelector('[data-testid="stream-state"]')?.textContent?.includes("live"), null, { polling: "raf", timeout: 60_000 });
      const live = Date.now() - start;
      await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
      loadsMs.push(Date.now() - start);
      const navigation = await page.evaluate(() => {
        const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
        return { responseEnd: Math.round(entry.responseEnd), domContentLoaded: Math.round(entry.domContentLoadedEventEnd) };
      });
      phases.push({ ...navigation, matrix, live });
      cells = await page.locator('[data-testid="port-matrix"] td[data-port]').count();
      longTasksMs = Math.max(longTasksMs, await page.evaluate(() => (window as unknown as { __longTasks: number }).__longTasks));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { loadsMs, phases, cells, longTasksMs };
}
