import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { readLabRootPassword, readLabState } from "../lab/state";
import type { Locale } from "../lib/i18n/locale";
import type { MessageKey } from "../lib/i18n/messages";
import { translate, type MessageParams } from "../lib/i18n/translate";
import type { PlaybookScope } from "../lib/playbook/scope";
import { serviceSecretsFor } from "../lib/playbook/serviceSecrets";
import { LAB_SERVICE_SECRETS } from "../server/testing/labSecrets";
import { findLeaks } from "../server/testing/secretLeaks";
import { MAIN_DATA_DIR, MAIN_SERVER_LOG } from "./support/mainServer";
import { TrafficRecorder } from "./support/trafficRecorder";

/**
 * The whole wizard in the browser, in Chinese and then in English, against the three-node lab:
 * local lab hosts, the service passwords typed in, review, Deploy, the dashboard until the run
 * has succeeded with every service port green, and the install report opened in the browser.
 * npm test runs the lab tests first, so the lab is deployed already with these same passwords and
 * a deployment here finds every step done (a fresh deployment is the lab tests' job: the tutorial's
 * in server/deploy/deployJob.lab.test.ts, the compute cloud's in e2e/computeCloud.spec.ts, which runs
 * just before this spec and leaves the lab deployed). A new plan is a compute cloud.
 */
const SHOTS = "test-results/screenshots";
/** The tutorial's, then Placement, the Nova API, Nova's metadata API, the noVNC console proxy and the Neutron API. */
const SERVICE_PORTS = [3306, 5672, 25672, 15672, 11211, 2379, 2380, 5000, 9292, 8778, 8774, 8775, 6080, 9696];

test.describe.configure({ mode: "serial" });

let planId: string;
let scope: PlaybookScope;
/** What the browser received and sent during the deployments, searched for secrets at the end. */
const traffic = new TrafficRecorder();
const runIds: string[] = [];

test.beforeEach(({ page }) => traffic.attach(page));

test.beforeAll(async ({ request }) => {
  mkdirSync(SHOTS, { recursive: true });
  expect(await readLabState(), "the lab must be up (npm test brings it up)").not.toBeNull();
  const plan = await (await request.post("/api/plans")).json();
  planId = plan.id;
  scope = plan.settings.scope;
  expect(scope, "a new plan deploys a compute cloud").toBe("compute");
});

for (const locale of ["zh-CN", "en"] as const satisfies readonly Locale[]) {
  test.describe(`in ${locale}`, () => {
    test.use({ locale });

    test(`walk the wizard, deploy on the lab, watch the ports turn green and read the report (${locale})`, async ({ page }) => {
      test.setTimeout(900_000);
      const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
      // The browser's language decides the first time; after that the remembered choice.
      await page.goto(`/plans/${planId}/hosts`);
      if ((await page.locator("html").getAttribute("lang")) !== locale) {
        await page.getByRole("combobox", { name: /Language|语言/ }).selectOption(locale);
      }
      await expect(page.locator("html")).toHaveAttribute("lang", locale);

      // Hosts: the local lab.
      await page.getByRole("button", { name: t("wizard.lab.use") }).click();
      await expect(page.getByRole("textbox").filter({ hasText: "" }).first()).toBeVisible();
      await shot(page, `lab-wizard-hosts-${locale}`);
      await page.getByRole("button", { name: t("wizard.next", { step: t("wizard.step.credentials") }) }).click();

      // Credentials came with the lab; passwords: typed, every awkward character included.
      await expect(page).toHaveURL(/\/credentials$/);
      await page.getByRole("button", { name: t("wizard.next", { step: t("wizard.step.passwords") }) }).click();
      await expect(page).toHaveURL(/\/passwords$/);
      for (const name of serviceSecretsFor(scope)) {
        // Typed where the field is empty; a password saved before shows as "Saved (hidden)" instead.
        const field = page.getByLabel(t("field.serviceSecret", { label: t(`field.secret.${name}` as MessageKey), name }), { exact: true }).and(page.locator("input"));
        if ((await field.count()) > 0) await field.fill(LAB_SERVICE_SECRETS[name]);
      }
      await shot(page, `lab-wizard-passwords-${locale}`);
      await page.getByRole("button", { name: t("wizard.next", { step: t("wizard.step.review") }) }).click();

      // Review: nothing missing; deploy.
      await expect(page).toHaveURL(/\/review$/);
      await shot(page, `lab-wizard-review-${locale}`);
      await page.getByRole("button", { name: t("wizard.review.deploy"), exact: true }).click();
      await expect(page).toHaveURL(/\/runs\/[^/]+$/);
      const runId = page.url().split("/").pop()!;
      runIds.push(runId);

      // The dashboard until the end: every step done (already, on the deployed lab) and every port green.
      await expect(page.getByTestId("run-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 600_000 });
      for (const port of SERVICE_PORTS) {
        for (const from of ["wizard", "c1", "c2"]) {
          await expect(page.getByTestId(`port-${from}-ct-${port}`)).toHaveAttribute("data-open", "true");
        }
      }
      await shot(page, `lab-dashboard-${locale}`);

      // The install report, opened in the browser: every section there, in this language, no secret.
      const link = page.getByTestId("export-report").getByRole("link", { name: "HTML" });
      await expect(link).toHaveAttribute("href", `/api/runs/${runId}/report?format=html&lang=${locale}`);
      const response = await page.request.get((await link.getAttribute("href"))!);
      expect(response.ok()).toBe(true);
      const html = await response.text();
      for (const value of Object.values(LAB_SERVICE_SECRETS)) expect(html).not.toContain(value);
      await page.setContent(html);
      for (const section of ["summary", "plan", "topology", "phases", "ports", "verification", "failures", "openrc", "commands"]) {
        await expect(page.locator(`#${section}`)).toBeVisible();
      }
      await expect(page.locator("#topology svg")).toBeVisible();
      await expect(page.locator("#verification")).toContainText("image");
      await shot(page, `lab-report-${locale}`);
    });
  });
}

test("after the deployments, no secret of the plan is in SQLite, the server's console, the reports, an HTTP answer or a socket frame", async ({ request }) => {
  expect(runIds.length, "the deployments above ran").toBe(2);
  const secrets: Record<string, string> = { ...LAB_SERVICE_SECRETS, "the hosts' SSH password": (await readLabRootPassword())! };
  // Everything a user can export or download, as the browser would get it.
  for (const runId of runIds) {
    for (const format of ["html", "md", "json"]) {
      for (const lang of ["en", "zh-CN"]) traffic.add(`report ${format} ${lang} of ${runId}`, await (await request.get(`/api/runs/${runId}/report?format=${format}&lang=${lang}`)).body());
    }
    traffic.add(`log download of ${runId}`, await (await request.get(`/api/runs/${runId}/log`)).body());
  }
  const plan = await (await request.get(`/api/plans/${planId}`)).json();
  for (const host of plan.hosts) traffic.add(`script of ${host.name}`, await (await request.get(`/api/plans/${planId}/scripts/${host.id}`)).body());
  // What the server keeps and prints.
  const database = `${MAIN_DATA_DIR}/stackpilot.db`;
  traffic.add("sqlite3 .dump", execFileSync("sqlite3", [database, ".dump"], { maxBuffer: 1 << 30 }));
  for (const file of [database, `${database}-wal`]) if (existsSync(file)) traffic.add(file, readFileSync(file));
  traffic.add("the server's console", readFileSync(MAIN_SERVER_LOG));

  const sources = await traffic.all();
  console.log(`Searched ${Object.keys(secrets).length} secrets in ${sources.length} texts (${traffic.responses} HTTP answers, ${traffic.frames} socket frames), ${sources.reduce((n, s) => n + s.text.length, 0)} characters.`);
  expect(traffic.responses).toBeGreaterThan(50);
  expect(traffic.frames).toBeGreaterThan(100);
  // The search finds a secret where there is one…
  expect(findLeaks(secrets, [{ where: "control", text: JSON.stringify({ password: LAB_SERVICE_SECRETS.ADMIN_PASS }) }])).toEqual(["ADMIN_PASS in control"]);
  // …and there is none.
  expect(findLeaks(secrets, sources)).toEqual([]);
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}
