import { expect, test, type Page } from "@playwright/test";
import { mkdirSync, rmSync } from "node:fs";
import { readLabRootPassword, readLabState } from "../lab/state";
import { LAB_PACKAGES, LAB_PACKAGE_STEP, labPackageHost, type LabPackageHost } from "../server/testing/labPackages";
import { labDeployPlanUpdate } from "../server/testing/labPlan";
import { createPlan, startSignedInServer, type DrillServer } from "./support/drill";

/**
 * Issue 14: a package install cut off on a real host is repaired by the step's next attempt —
 * in the browser, as a user does it, on the lab's controller ct. English: Cancel → Yes while dpkg
 * installs, then "Resume from cancelled step". Chinese: dpkg and apt-get killed -9 on ct while
 * they install, then the failed step's "重试此步骤" (Retry this step). Both end succeeded, with
 * the repair in the log and ct's package database clean.
 *
 * The server is the real one (production build) whose deployments run one real package step,
 * vim and NumPy (e2e/support/packageDrillServer.ts); the lab must be up (npm test brings it up),
 * and ct is left as it was found: what the suite installed purged, dpkg clean, nothing running.
 */
const SERVER_PORT = 3281;
const DATA_DIR = "/tmp/stackpilot-e2e-packages";
const SHOTS = "test-results/screenshots";
const REPAIR = "Recovering an interrupted package install: dpkg --force-confdef --force-confold --configure -a";

let ct: LabPackageHost;
let server: DrillServer;
let planId: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  const lab = await readLabState();
  if (!lab) throw new Error("The lab is down, and this spec deploys on it: bring it up first (npm test does; or `npm run lab:up` as root).");
  ct = await labPackageHost(lab).catch((error) => {
    throw new Error(`The lab's ct does not answer over SSH (see \`tsx lab/cli.ts status\`): ${error instanceof Error ? error.message : error}`);
  });
  server = await startSignedInServer({ entry: "e2e/support/packageDrillServer.ts", name: "package drill server", port: SERVER_PORT, dataDir: DATA_DIR });
  const rootPassword = (await readLabRootPassword())!;
  planId = (await createPlan(server, (plan) => labDeployPlanUpdate(plan, lab, rootPassword))).id;
});

test.beforeEach(async ({ context }) => {
  await server.signIn(context);
  await ct.purge();
  expect(await ct.audit(), "ct's package database is clean before the test").toBe("");
  await ct.download();
});

test.afterAll(async () => {
  test.setTimeout(180_000);
  await server?.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
  if (!ct) return;
  await ct.restore();
  expect(await ct.audit(), "ct's package database is left clean").toBe("");
  expect(await ct.packageProcesses(), "no dpkg or apt-get is left running on ct").toBe("");
  const installed = await ct.installed();
  expect(LAB_PACKAGES.filter((name) => installed.has(name)), "what the suite installed is purged").toEqual([]);
});

/** Review → Deploy, as the user starts a deployment; resolves on the run's page. */
async function deployFromReview(page: Page, deploy: string): Promise<void> {
  await page.goto(`${server.url}/plans/${planId}/review`);
  await page.getByRole("button", { name: deploy, exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
}

/** The log, searched as the user does, holds the repair the step's second attempt made. */
async function expectRepairInLog(page: Page, searchLabel: string) {
  await page.getByLabel(searchLabel).fill(REPAIR);
  await expect(page.getByTestId("log-search-count")).toHaveAttribute("data-matches", "1");
  await expect(page.getByRole("log").locator("[data-current-match]")).toHaveText(`ct [stackpilot] ${REPAIR}`);
}

/** dpkg has nothing left to finish on ct, and the packages are there. */
async function expectInstalledAndClean() {
  expect(await ct.audit()).toBe("");
  const installed = await ct.installed();
  expect(LAB_PACKAGES.filter((name) => !installed.has(name)), "packages missing on ct").toEqual([]);
}

const runStatus = (page: Page) => page.getByTestId("run-status").locator("[data-status]");
const packageStep = (page: Page) => page.getByTestId(`step-${LAB_PACKAGE_STEP}-ct`);

test.describe("in English", () => {
  test.use({ locale: "en-US" });

  test("Cancel → Yes while dpkg installs, then Resume from cancelled step: the step repairs dpkg and the run succeeds", async ({ page }) => {
    test.setTimeout(240_000);
    await deployFromReview(page, "Deploy");
    const step = packageStep(page);
    await expect(step).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    // The question now, the answer once dpkg is at work: the cancel lands in the middle of the install.
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByText("Stop the commands running on the hosts now?")).toBeVisible();
    await ct.dpkgAtWork();
    await page.getByRole("button", { name: "Yes, cancel the run" }).click();
    await expect(runStatus(page)).toHaveAttribute("data-status", "cancelled");
    await expect(step).toHaveAttribute("data-status", "cancelled");
    // Cancel stopped dpkg too, and left it as the issue found it: apt would refuse with "dpkg was interrupted".
    expect(await ct.packageProcesses()).toBe("");
    expect(await ct.audit(), "dpkg was cut off").not.toBe("");
    await page.screenshot({ path: `${SHOTS}/package-install-cancelled-en.png`, fullPage: true });

    const clicked = Date.now();
    await page.getByRole("button", { name: "Resume from cancelled step" }).click();
    await expect(runStatus(page)).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
    console.log(`Resume from cancelled step → succeeded: ${((Date.now() - clicked) / 1000).toFixed(1)} s`);
    await expect(step).toHaveAttribute("data-status", "succeeded");
    await expect(step.getByTestId("step-attempt")).toHaveText("attempt 2");
    await expectRepairInLog(page, "Search the log");
    await page.screenshot({ path: `${SHOTS}/package-install-resumed-en.png`, fullPage: true });
    await expectInstalledAndClean();
  });
});

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("dpkg and apt-get killed -9 on ct mid-install: the step fails, 重试此步骤 repairs dpkg and the run succeeds", async ({ page }) => {
    test.setTimeout(240_000);
    await deployFromReview(page, "部署");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    const step = packageStep(page);
    await expect(step).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await ct.dpkgAtWork();
    await ct.killPackageManager();
    await expect(runStatus(page)).toHaveAttribute("data-status", "failed");
    await expect(step).toHaveAttribute("data-status", "failed");
    await expect(step.getByTestId("step-attempt")).toHaveText("第 1 次尝试");
    expect(await ct.audit(), "dpkg was cut off").not.toBe("");
    // The triage names it in the reader's language.
    await expect(page.getByTestId("triage-hint")).toHaveAttribute("data-hint", "killed");
    await expect(page.getByTestId("triage-hint")).toContainText("被强制终止（SIGKILL）");
    await page.screenshot({ path: `${SHOTS}/package-install-killed-zh.png`, fullPage: true });

    const clicked = Date.now();
    await step.getByRole("button", { name: "重试此步骤" }).click();
    await expect(runStatus(page)).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
    console.log(`重试此步骤 → succeeded: ${((Date.now() - clicked) / 1000).toFixed(1)} s`);
    await expect(step).toHaveAttribute("data-status", "succeeded");
    await expect(step.getByTestId("step-attempt")).toHaveText("第 2 次尝试");
    await expectRepairInLog(page, "搜索日志");
    await page.screenshot({ path: `${SHOTS}/package-install-retried-zh.png`, fullPage: true });
    await expectInstalledAndClean();
  });
});
