import { expect, test, type Locator, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { RunView } from "../lib/runs/runView";
import { startLoopbackSshd, type LoopbackSshd } from "../server/testing/loopbackSshd";
import { drillSteering } from "../server/testing/drillPlaybook";
import { createDrillPlan, startDrillServer, type DrillServer } from "./support/drill";

/**
 * Issue 6, the dashboard: phases with progress and times, the timeline, the topology, the port
 * matrix, search, ANSI colours and the step filter in the log, the estimated time left, the
 * triage in both languages — on a real server running the drill playbook on loopback hosts.
 *
 * The drill checks no ports and prints no colours, so this suite adds, to a finished run in its
 * own scratch database, a few port checks and one coloured log line, as the runner would have
 * stored them (the page reads both from SQLite).
 */

// This suite's own loopback hosts, user and ports.
const CT = "127.0.0.201";
const C1 = "127.0.0.202";
const SSH_PORT = 2222;
const USER = "sp-dashviews";
const SERVER_PORT = 3242;
const DATA_DIR = "/tmp/stackpilot-dashviews-data";
const DRILL_DIR = "/tmp/stackpilot-dashviews-drill";
const FLOOD_LINES = 5000;
const SHOTS = "test-results/screenshots";

const ESC = "\x1b";
const ANSI_LINE = `${ESC}[1;31mERROR${ESC}[0m red and ${ESC}[32mgreen${ESC}[0m, then ${ESC}[38;5;208morange${ESC}[0m; markup stays text: <b>not bold</b>`;

let ct: LoopbackSshd;
let c1: LoopbackSshd;
let server: DrillServer;
let planId: string;
/** The first deployment: finished, with the added port checks and the coloured line. */
let finishedRunId: string;
/** The third: failed at the gate on c1. */
let failedRunId: string;

const { steer, unsteer } = drillSteering(DRILL_DIR);

const getRun = async (runId: string) => (await (await server.fetch(`/api/runs/${runId}`)).json()) as RunView;

async function deploy(): Promise<RunView> {
  const response = await server.fetch(`/api/plans/${planId}/deployments`, { method: "POST" });
  expect(response.status).toBe(202);
  return (await response.json()) as RunView;
}

async function settled(runId: string): Promise<RunView> {
  await expect.poll(async () => (await getRun(runId)).status, { timeout: 90_000, intervals: [300] }).not.toMatch(/^(pending|running)$/);
  return getRun(runId);
}

function withDatabase<T>(use: (db: Database.Database) => T): T {
  const db = new Database(path.join(DATA_DIR, "stackpilot.db"), { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const section = (page: Page, heading: string) => page.locator(`section[aria-labelledby="${heading}"]`);

/** The topology image's SVG, read back from its data: URL and parsed by the browser. */
async function topologyOf(image: Locator): Promise<{ ok: boolean; root: string; texts: string[]; svg: string }> {
  return image.evaluate((img: HTMLImageElement) => {
    const svg = decodeURIComponent(img.src.slice(img.src.indexOf(",") + 1));
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    return {
      ok: doc.querySelector("parsererror") === null,
      root: doc.documentElement.nodeName,
      texts: [...doc.querySelectorAll("text")].map((t) => t.textContent ?? ""),
      svg,
    };
  });
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  rmSync(DRILL_DIR, { recursive: true, force: true });
  mkdirSync(DRILL_DIR, { recursive: true });
  execFileSync("chmod", ["777", DRILL_DIR]);
  ct = await startLoopbackSshd({ address: CT, port: SSH_PORT, user: USER });
  c1 = await startLoopbackSshd({ address: C1, port: SSH_PORT, user: USER, password: ct.password });
  server = await startDrillServer({ port: SERVER_PORT, dataDir: DATA_DIR, drillDir: DRILL_DIR });

  // The first deployment runs to the end: gates open, a short long step, a flood to search in.
  steer("ct/gate-open");
  steer("c1/gate-open");
  steer("ct/long-seconds", "2");
  steer("c1/long-seconds", "1");
  steer("flood-lines", String(FLOOD_LINES));
  const plan = await createDrillPlan(server, [ct, c1], (name) => `${name}-dash-'"$-7`);
  planId = plan.id;
  const first = await settled((await deploy()).id);
  expect(first.status).toBe("succeeded");
  finishedRunId = first.id;

  // What the runner stores for port checks and for a line a tool printed in colour.
  withDatabase((db) => {
    const time = new Date().toISOString();
    const insertCheck = db.prepare(`INSERT INTO "PortCheck" ("runId", "fromHost", "toHost", "port", "open", "error", "checkedAt") VALUES (?, ?, 'ct', ?, ?, ?, ?)`);
    insertCheck.run(finishedRunId, "wizard", 3306, 1, null, time);
    insertCheck.run(finishedRunId, "c1", 3306, 1, null, time);
    insertCheck.run(finishedRunId, "wizard", 5672, 1, null, time);
    insertCheck.run(finishedRunId, "c1", 5000, 0, "connection refused", time);
    const secret = first.stepRuns.find((s) => s.stepKey === "drill.secret")!;
    const { seq } = db.prepare(`SELECT MAX("seq") AS seq FROM "LogLine" WHERE "runId" = ?`).get(finishedRunId) as { seq: number };
    db.prepare(`INSERT INTO "LogLine" ("runId", "stepRunId", "seq", "stream", "text", "time") VALUES (?, ?, ?, 'stdout', ?, ?)`).run(finishedRunId, secret.id, seq + 1, ANSI_LINE, time);
  });
});

test.afterAll(async () => {
  await server?.stop();
  await ct?.stop();
  await c1?.stop();
  rmSync(DRILL_DIR, { recursive: true, force: true });
  rmSync(DATA_DIR, { recursive: true, force: true });
});

test.describe.configure({ mode: "serial" });

// The page signs in to the drill server as its admin (a cookie of its own, named after its port).
test.beforeEach(async ({ context }) => server.signIn(context));

test.describe("in English", () => {
  test.use({ locale: "en-US" });

  test("a finished deployment: phases, steps, timeline, topology, port matrix", async ({ page }) => {
    await page.goto(`${server.url}/runs/${finishedRunId}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deployment");
    await expect(page.getByTestId("run-status")).toContainText("succeeded");
    await expect(page.getByTestId("stream-state")).toHaveText("● live");

    // The phase: its progress bar full, its time; each step run with icon, host, attempt, duration.
    const phase = page.getByTestId("phase-preflight");
    await expect(phase.getByRole("heading")).toHaveText("Drill");
    await expect(page.getByTestId("phase-progress-preflight")).toHaveText("8/8");
    await expect(phase.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "8");
    await expect(page.getByTestId("phase-duration-preflight")).toHaveText(/^\d+\.\d s$/);
    const longCt = page.getByTestId("step-drill.long-ct");
    await expect(longCt).toHaveAttribute("data-status", "succeeded");
    await expect(longCt.getByTestId("step-attempt")).toHaveText("attempt 1");
    await expect(longCt.getByTestId("step-duration")).toHaveText(/^[2-9]\.\d s$/);
    await expect(longCt.locator("[data-status]").first()).toContainText("✓");

    // The timeline: a lane per host, a bar per step run, an axis; a table for screen readers.
    const timeline = page.getByTestId("timeline");
    await expect(timeline.locator('[data-testid^="timeline-lane-"]')).toHaveCount(2);
    await expect(timeline.locator('[data-testid^="timeline-bar-"]')).toHaveCount(8);
    const bar = page.getByTestId("timeline-bar-drill.long-ct");
    await expect(bar).toHaveAttribute("data-status", "succeeded");
    await expect(bar).toHaveAttribute("title", /^Work for a while on ct: succeeded, [2-9]\.\d s, from \d+ s to \d+ s$/);
    await expect(page.getByTestId("timeline-axis")).toContainText("0 s");
    const table = timeline.locator("table");
    await expect(table.locator("caption")).toHaveText("When each step ran on each host");
    await expect(table.locator("tbody tr")).toHaveCount(8);
    await expect(table.locator("tbody tr").filter({ hasText: "Print many lines" })).toContainText("ct");
    await section(page, "timeline-heading").screenshot({ path: `${SHOTS}/dashboard-timeline-en.png` });

    // The topology: one self-contained SVG with both hosts, their roles, IPs and services.
    const image = page.getByTestId("topology");
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(300);
    await expect(image).toHaveAttribute("alt", /ct \(controller\): management network 127\.0\.0\.201, provider network 127\.0\.0\.201; MariaDB :3306/);
    const topology = await topologyOf(image);
    expect(topology.ok).toBe(true);
    expect(topology.root).toBe("svg");
    for (const text of ["ct", "c1", "controller", "compute", CT, C1, "MariaDB :3306", "Glance :9292", "chrony client", "management network", "provider network"]) expect(topology.texts).toContain(text);
    // A new plan is a compute cloud: Placement and Nova on the controller, nova-compute on the compute.
    for (const text of ["Placement :8778", "Nova API :8774", "Nova metadata :8775", "noVNC proxy :6080", "nova-scheduler", "nova-conductor", "nova-compute (libvirt)"]) expect(topology.texts).toContain(text);
    // Its networks: the flat provider network (derived from the hosts' second IPs) with the floating IPs the drill plan
    // gives it (ten addresses no loopback host uses), the VXLAN self-service network, the Neutron agents.
    for (const text of ["Neutron server :9696", "neutron-l3-agent", "self-service network", "VXLAN 172.16.1.0/24 · tunnelled over the management network"]) expect(topology.texts).toContain(text);
    expect(topology.texts).toContainEqual(expect.stringMatching(/^flat 127\.0\.0\.0\/24 · floating IPs 127\.0\.0\.\d+ – 127\.0\.0\.\d+$/));
    expect(topology.texts.filter((text) => text === "neutron-linuxbridge-agent")).toHaveLength(2);
    expect(topology.svg).not.toMatch(/<(image|script|style|foreignObject)\b|href=/);
    await section(page, "topology-heading").screenshot({ path: `${SHOTS}/dashboard-topology-en.png` });

    // The port matrix: a row per route, green open, red with the reason, a dash where nothing is checked.
    const matrix = page.getByTestId("port-matrix");
    await expect(matrix.locator("tbody tr")).toHaveCount(2);
    await expect(matrix.locator("tbody th").first()).toHaveText("this machine → ct");
    const cell = (route: string, port: number) => matrix.locator(`td[data-route="${route}"][data-port="${port}"]`);
    await expect(cell("wizard→ct", 3306)).toHaveAttribute("data-state", "open");
    await expect(cell("wizard→ct", 3306)).toHaveText("open");
    await expect(page.getByTestId("port-c1-ct-3306")).toHaveAttribute("data-open", "true");
    await expect(page.getByTestId("port-c1-ct-5000")).toHaveAttribute("data-open", "false");
    await expect(cell("c1→ct", 5000)).toHaveAttribute("data-state", "closed");
    await expect(cell("c1→ct", 5000)).toHaveAttribute("title", "5000 (Keystone) on ct does not answer from c1: connection refused");
    await expect(cell("c1→ct", 9292)).toHaveText("—");
    await expect(page.getByTestId("port-failures")).toHaveText("c1 → ct, port 5000 (Keystone): connection refused");
    expect(await cell("wizard→ct", 3306).evaluate((td) => getComputedStyle(td).backgroundColor)).not.toBe(await cell("c1→ct", 5000).evaluate((td) => getComputedStyle(td).backgroundColor));
    await section(page, "ports-heading").screenshot({ path: `${SHOTS}/dashboard-ports-en.png` });
    await page.screenshot({ path: `${SHOTS}/dashboard-overview-en.png`, fullPage: true });
  });

  test("the log: ANSI colours, search with next and previous, a step's lines alone", async ({ page }) => {
    await page.goto(`${server.url}/runs/${finishedRunId}`);
    const log = page.getByRole("log");
    const count = page.getByTestId("log-line-count");
    const total = withDatabase((db) => (db.prepare(`SELECT COUNT(*) AS n FROM "LogLine" WHERE "runId" = ?`).get(finishedRunId) as { n: number }).n);
    await expect(count).toHaveAttribute("data-count", String(total));

    // The coloured line (the last one, in view while following): colours as styles, markup as text.
    const ansiRow = log.locator(":scope > div > div > div").filter({ hasText: "ERROR red and green" });
    await expect(ansiRow).toHaveText(`ct ERROR red and green, then orange; markup stays text: <b>not bold</b>`);
    await expect(ansiRow.locator("[data-ansi]").filter({ hasText: "ERROR" })).toHaveCSS("color", "rgb(248, 113, 113)");
    await expect(ansiRow.locator("[data-ansi]").filter({ hasText: "ERROR" })).toHaveCSS("font-weight", "700");
    await expect(ansiRow.locator("[data-ansi]").filter({ hasText: "green" })).toHaveCSS("color", "rgb(74, 222, 128)");
    await expect(ansiRow.locator("[data-ansi]").filter({ hasText: "orange" })).toHaveCSS("color", "rgb(255, 135, 0)");
    await expect(log.locator("b")).toHaveCount(0);
    expect(await ansiRow.textContent()).not.toContain(ESC);
    await section(page, "log-heading").screenshot({ path: `${SHOTS}/dashboard-ansi-en.png` });

    // Search: the first match from the top (the view was at the end), highlighted and in view.
    const search = page.getByLabel("Search the log");
    const searchCount = page.getByTestId("log-search-count");
    const currentRow = log.locator("[data-current-match]");
    await search.fill("flood line 123");
    await expect(searchCount).toHaveAttribute("data-matches", "11");
    await expect(searchCount).toHaveText("1 of 11");
    await expect(currentRow).toHaveText("ct flood line 123");
    await expect(currentRow).toBeInViewport();
    await expect(currentRow.locator("mark")).toHaveText("flood line 123");
    await expect(page.getByLabel("Follow")).not.toBeChecked();
    await page.getByRole("button", { name: "Next match" }).click();
    await expect(currentRow).toHaveText("ct flood line 1230");
    await expect(currentRow).toBeInViewport();
    await search.press("Enter");
    await expect(currentRow).toHaveText("ct flood line 1231");
    await page.getByRole("button", { name: "Previous match" }).click();
    await page.getByRole("button", { name: "Previous match" }).click();
    await page.getByRole("button", { name: "Previous match" }).click();
    // Back past the first: the last.
    await expect(currentRow).toHaveText("ct flood line 1239");
    await expect(searchCount).toHaveText("11 of 11");
    // Every match in view is marked, the current one apart.
    expect(await log.locator("mark").count()).toBeGreaterThan(1);
    await section(page, "log-heading").screenshot({ path: `${SHOTS}/dashboard-search-en.png` });
    // The search reads the text without its colour codes.
    await search.fill("red and green");
    await expect(searchCount).toHaveText("1 of 1");
    // The match runs across a colour change: marked in two pieces.
    await expect(currentRow.locator("mark")).toHaveText(["red and", "green"]);
    await search.fill("no such text anywhere");
    await expect(searchCount).toHaveText("no match");
    await search.fill("");
    await expect(searchCount).toHaveCount(0);

    // A click on a step shows its lines alone; a second click all of them again.
    const gateLines = (host?: string) =>
      withDatabase(
        (db) =>
          (
            db
              .prepare(`SELECT COUNT(*) AS n FROM "LogLine" l JOIN "StepRun" s ON s."id" = l."stepRunId" WHERE l."runId" = ? AND s."stepKey" = 'drill.gate' AND (? IS NULL OR s."hostName" = ?)`)
              .get(finishedRunId, host ?? null, host ?? null) as { n: number }
          ).n,
      );
    const gateButton = page.getByTestId("step-row-drill.gate").getByRole("button", { name: "Pass the gate" });
    await gateButton.click();
    await expect(gateButton).toHaveAttribute("aria-pressed", "true");
    await expect(count).toHaveAttribute("data-shown", String(gateLines()));
    await expect(page.getByTestId("log-step-filter")).toHaveValue("drill.gate");
    await expect(log).toContainText("gate passed");
    await expect(log).not.toContainText("flood line");
    await expect(log).not.toContainText("tick");
    // With a host too: that step on that host.
    await page.getByRole("combobox", { name: /^Host/ }).selectOption("c1");
    await expect(log).toContainText("gate passed");
    await expect(count).toHaveAttribute("data-shown", String(gateLines("c1")));
    await page.getByRole("combobox", { name: /^Host/ }).selectOption("");
    await page.screenshot({ path: `${SHOTS}/dashboard-step-filter-en.png`, fullPage: true });
    await gateButton.click();
    await expect(gateButton).toHaveAttribute("aria-pressed", "false");
    await expect(count).toHaveAttribute("data-shown", String(total));
  });

  test("a deployment under way: the time left from the last one, the bars growing, no ports to check", async ({ page }) => {
    // Run again with the long step to do: it takes 8 s on each host, the rest is done already.
    unsteer("ct/long-done");
    unsteer("c1/long-done");
    steer("ct/long-seconds", "8");
    steer("c1/long-seconds", "8");
    const run = await deploy();
    const estimate = await (await server.fetch(`/api/runs/${run.id}/estimate`)).json();
    expect(estimate.basedOn).toMatchObject({ runId: finishedRunId, samePlan: true });
    expect(Object.keys(estimate.seconds).sort()).toEqual(["drill.flood", "drill.gate", "drill.long", "drill.prepare", "drill.secret"]);
    expect(estimate.seconds["drill.long"]).toBeGreaterThanOrEqual(2);

    await page.goto(`${server.url}/runs/${run.id}`);
    await expect(page.getByTestId("step-drill.long-ct")).toHaveAttribute("data-status", "running");
    const left = page.getByTestId("estimated-time-left");
    await expect(left).toHaveText(/less than a minute left/);
    await expect(left).toHaveAttribute("title", /^Estimated from this plan's deployment of /);
    await expect(page.getByTestId("timeline-bar-drill.long-ct")).toHaveAttribute("data-status", "running");
    // The running step's time grows on screen.
    const duration = page.getByTestId("step-drill.long-ct").getByTestId("step-duration");
    const before = await duration.textContent();
    await expect.poll(() => duration.textContent(), { timeout: 5000 }).not.toBe(before);
    await expect(page.getByTestId("port-matrix-empty")).toHaveText("This deployment checks no service ports.");
    await page.screenshot({ path: `${SHOTS}/dashboard-live-en.png`, fullPage: true });

    await expect(page.getByTestId("run-status")).toContainText("succeeded", { timeout: 60_000 });
    await expect(left).toHaveCount(0);
    await expect(page.getByTestId("step-drill.prepare-ct")).toContainText("already done");
  });

  test("a failed step: the triage's hint, the retry and resume buttons", async ({ page }) => {
    unsteer("c1/gate-open");
    unsteer("c1/gate-passed");
    const run = await settled((await deploy()).id);
    expect(run.status).toBe("failed");
    failedRunId = run.id;
    await page.goto(`${server.url}/runs/${run.id}`);
    const gate = page.getByTestId("step-drill.gate-c1");
    await expect(gate).toHaveAttribute("data-status", "failed");
    await expect(gate.getByTestId("triage-hint")).toHaveText(
      "MariaDB refused the password of its user keystone (Access denied): the password in keystone's configuration and the one in the database differ; check KEYSTONE_DBPASS on the passwords page and deploy again (the keystone database step resets it).",
    );
    await expect(gate.getByTestId("triage-hint")).toHaveAttribute("data-hint", "db-user-password");
    await expect(gate.getByRole("button", { name: "Retry this step" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Resume from failed step" })).toBeVisible();
    await expect(page.getByTestId("phase-preflight").getByRole("progressbar")).toHaveAttribute("aria-valuenow", "3");
    await expect(page.getByTestId("timeline-bar-drill.gate-c1")).toHaveAttribute("data-status", "failed");
    await page.screenshot({ path: `${SHOTS}/dashboard-failed-en.png`, fullPage: true });
  });
});

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("the same views in Simplified Chinese", async ({ page }) => {
    await page.goto(`${server.url}/runs/${finishedRunId}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("部署");
    await expect(page.getByTestId("run-status")).toContainText("成功");
    await expect(page.getByTestId("stream-state")).toHaveText("● 实时");
    await expect(page.getByTestId("step-drill.long-ct").getByTestId("step-attempt")).toHaveText("第 1 次尝试");
    await expect(page.getByTestId("step-drill.long-ct").getByTestId("step-duration")).toHaveText(/^\d+\.\d 秒$/);
    // The drill's own titles have no translation: shown as the playbook says them.
    await expect(page.getByTestId("phase-preflight").getByRole("heading")).toHaveText("Drill");

    await expect(page.getByRole("heading", { name: "时间线" })).toBeVisible();
    await expect(page.getByTestId("timeline-bar-drill.long-ct")).toHaveAttribute("title", /^ct 上的Work for a while：成功，\d+\.\d 秒，从 \d+ 秒 到 \d+ 秒$/);
    await expect(page.getByTestId("timeline").locator("caption")).toHaveText("每个步骤在每台主机上的运行时间");
    await section(page, "timeline-heading").screenshot({ path: `${SHOTS}/dashboard-timeline-zh.png` });

    const image = page.getByTestId("topology");
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(300);
    const topology = await topologyOf(image);
    expect(topology.ok).toBe(true);
    for (const text of ["控制节点", "计算节点", "管理网络", "提供者网络", "chrony 客户端", "Nova 元数据 :8775", "noVNC 代理 :6080", CT, C1]) expect(topology.texts).toContain(text);
    await expect(image).toHaveAttribute("alt", /^部署计划中的主机/);
    await section(page, "topology-heading").screenshot({ path: `${SHOTS}/dashboard-topology-zh.png` });

    await expect(page.getByRole("heading", { name: "服务端口" })).toBeVisible();
    const matrix = page.getByTestId("port-matrix");
    await expect(matrix.locator("tbody th").first()).toHaveText("本机 → ct");
    await expect(matrix.locator('td[data-route="wizard→ct"][data-port="3306"]')).toHaveText("开放");
    await expect(matrix.locator('td[data-route="c1→ct"][data-port="5000"]')).toHaveText(/^不通/);
    await expect(page.getByTestId("port-failures")).toHaveText("c1 → ct，端口 5000（Keystone）：连接被拒绝");
    await section(page, "ports-heading").screenshot({ path: `${SHOTS}/dashboard-ports-zh.png` });

    await expect(page.getByRole("heading", { name: "日志" })).toBeVisible();
    await page.getByLabel("搜索日志").fill("flood line 123");
    await expect(page.getByTestId("log-search-count")).toHaveText("第 1 个，共 11 个");
    await page.getByRole("button", { name: "下一个匹配" }).click();
    await expect(page.getByRole("log").locator("[data-current-match]")).toHaveText("ct flood line 1230");
    await section(page, "log-heading").screenshot({ path: `${SHOTS}/dashboard-search-zh.png` });
    await page.screenshot({ path: `${SHOTS}/dashboard-overview-zh.png`, fullPage: true });

    // The failed run: the hint, the buttons and the statuses in Chinese.
    await page.goto(`${server.url}/runs/${failedRunId}`);
    const gate = page.getByTestId("step-drill.gate-c1");
    await expect(page.getByTestId("run-status")).toContainText("失败");
    // The runner's words in Chinese, what the host printed as it printed it.
    await expect(page.getByRole("alert").filter({ hasText: "停在 c1 上的“Pass the gate”。" })).toBeVisible();
    await expect(gate.getByRole("alert")).toHaveText("“Pass the gate”在 c1 上失败（退出码 3）：ERROR 1045 (28000): Access denied for user 'keystone'@'c1' (using password: YES)");
    await expect(gate.getByTestId("triage-hint")).toHaveText(
      "MariaDB 拒绝了其用户 keystone 的密码（Access denied）：keystone 配置中的密码与数据库中的不一致；在密码页面检查 KEYSTONE_DBPASS，然后重新部署（keystone 数据库步骤会重置它）。",
    );
    await expect(gate.getByRole("button", { name: "重试此步骤" })).toBeVisible();
    await expect(gate.getByRole("button", { name: "标记为已手动完成" })).toBeVisible();
    await expect(page.getByRole("button", { name: "从失败的步骤继续" })).toBeVisible();
    await expect(gate.getByTestId("triage-section-0").locator("summary")).toContainText("正在监听的 TCP 端口");
    await expect(gate.getByTestId("triage-last-lines").locator("summary")).toContainText("最后 50 行");
    await expect(page.getByTestId("step-drill.prepare-c1")).toContainText("已完成过");
    await page.screenshot({ path: `${SHOTS}/dashboard-failed-zh.png`, fullPage: true });
  });
});
