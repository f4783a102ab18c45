import { rmSync } from "node:fs";
import type { Page } from "@playwright/test";
import type { Locale } from "../lib/i18n/locale";
import type { MessageKey } from "../lib/i18n/messages";
import { translate, type MessageParams } from "../lib/i18n/translate";
import type { PlanView } from "../lib/plan/planView";
import { startSignedInServer, type DrillServer } from "./support/drill";
import { expect, test } from "./support/test";

/**
 * Issue 16: the compute cloud's networks in the wizard. A new plan shows on Passwords & options
 * the networks derived from the hosts' second IPs, and follows a second IP changed on Hosts; a
 * floating range over ct's second IP is refused beside the field, naming ct, while the values
 * typed beside it are saved; fixed, the error goes and Review shows the networks; the tutorial's
 * scope has no such section. The real server (server/main.ts) on its own port and database; no
 * host is ever contacted.
 */
const SERVER_PORT = 3311;
const DATA_DIR = "/tmp/stackpilot-e2e-netform";

let server: DrillServer;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  server = await startSignedInServer({ entry: "server/main.ts", name: "network options server", port: SERVER_PORT, dataDir: DATA_DIR });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
});

test.beforeEach(async ({ context }) => server.signIn(context));

async function newPlan(): Promise<PlanView> {
  return (await (await server.fetch("/api/plans", { method: "POST" })).json()) as PlanView;
}

async function storedPlan(id: string): Promise<PlanView> {
  return (await (await server.fetch(`/api/plans/${id}`)).json()) as PlanView;
}

for (const locale of ["en", "zh-CN"] as const satisfies readonly Locale[]) {
  const t = (key: MessageKey, params?: MessageParams) => translate(locale, key, params);
  const networks = (page: Page) => page.getByRole("region", { name: t("wizard.networks.heading") });
  const field = (page: Page, key: "providerCidr" | "providerGateway" | "floatingIpStart" | "floatingIpEnd" | "selfServiceCidr") => networks(page).getByLabel(t(`field.${key}`), { exact: true });

  async function openStep(page: Page, step: "hosts" | "passwords" | "review") {
    await page.getByRole("navigation", { name: t("wizard.steps.label") }).getByRole("link", { name: t(`wizard.step.${step}`) }).click();
    await expect(page).toHaveURL(new RegExp(`/${step}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(`wizard.step.${step}`));
  }

  test.describe(`in ${locale}`, () => {
    test.use({ locale: locale === "en" ? "en-US" : "zh-CN" });

    test("the networks derived from the hosts, a floating range over ct's second IP refused naming ct with the other values kept, Review, and none in the tutorial's scope", async ({ page }) => {
      const { id } = await newPlan();
      await page.goto(`${server.url}/plans/${id}/passwords`);

      // ---- A new plan: every field empty, its placeholder what the playbook derives from the tutorial's second IPs (192.168.158.x).
      const derived = { providerCidr: "192.168.158.0/24", providerGateway: "192.168.158.1", floatingIpStart: "192.168.158.200", floatingIpEnd: "192.168.158.249", selfServiceCidr: "172.16.1.0/24" } as const;
      for (const [key, value] of Object.entries(derived) as [keyof typeof derived, string][]) {
        await expect(field(page, key)).toHaveValue("");
        await expect(field(page, key)).toHaveAttribute("placeholder", value);
      }
      // Each with its help line, read with the field.
      await expect(field(page, "selfServiceCidr")).toHaveAccessibleDescription(t("field.selfServiceCidr.hint"));
      await expect(field(page, "providerCidr")).toHaveAccessibleDescription(t("field.providerCidr.hint"));

      // ---- Live from the hosts as entered: ct's second IP moved to another network moves the derived values.
      await openStep(page, "hosts");
      await page.getByLabel(t("field.natIp", { n: 1 })).fill("10.20.30.110");
      await openStep(page, "passwords");
      await expect(field(page, "providerCidr")).toHaveAttribute("placeholder", "10.20.30.0/24");
      await expect(field(page, "floatingIpEnd")).toHaveAttribute("placeholder", "10.20.30.249");
      await openStep(page, "hosts");
      await page.getByLabel(t("field.natIp", { n: 1 })).fill("192.168.158.110");
      await openStep(page, "passwords");
      await expect(field(page, "providerCidr")).toHaveAttribute("placeholder", derived.providerCidr);

      // ---- A right gateway and self-service network, and a floating range over ct's second IP (.110).
      await field(page, "providerGateway").fill("192.168.158.254");
      await field(page, "selfServiceCidr").fill("10.200.0.0/16");
      await field(page, "floatingIpStart").fill("192.168.158.105");
      await field(page, "floatingIpEnd").fill("192.168.158.115");
      await field(page, "floatingIpEnd").blur();
      await field(page, "floatingIpStart").focus();
      await field(page, "floatingIpStart").blur();
      const clash = t("plan.issue.floatingHasHostIp", { start: "192.168.158.105", end: "192.168.158.115", hosts: "ct (192.168.158.110)" });
      await expect(networks(page).getByRole("alert")).toHaveText([clash]);
      await expect(field(page, "floatingIpStart")).toHaveAttribute("aria-invalid", "true");
      await expect(field(page, "floatingIpStart")).toHaveAccessibleDescription(`${t("field.floatingIpStart.hint")} ${clash}`);
      await expect(page.getByText(t("wizard.save.saved"))).toBeVisible();
      await networks(page).screenshot({ path: `test-results/screenshots/network-options-${locale}.png` });

      // Saved, the wrong value with the right ones: a reload finds all four, and the same error.
      const stored = (await storedPlan(id)).settings;
      expect(stored).toMatchObject({ providerGateway: "192.168.158.254", selfServiceCidr: "10.200.0.0/16", floatingIpStart: "192.168.158.105", floatingIpEnd: "192.168.158.115", providerCidr: "" });
      await page.reload();
      await expect(field(page, "providerGateway")).toHaveValue("192.168.158.254");
      await expect(field(page, "selfServiceCidr")).toHaveValue("10.200.0.0/16");
      await expect(field(page, "floatingIpStart")).toHaveValue("192.168.158.105");
      // Review names it too, with the way back to this page.
      await openStep(page, "review");
      await expect(page.getByRole("alert").filter({ hasText: clash })).toBeVisible();

      // ---- Fixed: the error goes, and Review shows the networks the playbook will use.
      await openStep(page, "passwords");
      await field(page, "floatingIpStart").fill("192.168.158.200");
      await field(page, "floatingIpEnd").fill("192.168.158.220");
      await field(page, "floatingIpStart").blur();
      await expect(networks(page).getByRole("alert")).toHaveCount(0);
      await expect(field(page, "floatingIpStart")).not.toHaveAttribute("aria-invalid", "true");
      await openStep(page, "review");
      const review = page.getByRole("region", { name: t("wizard.review.networks.heading") });
      await expect(review.getByRole("listitem")).toHaveText([
        t("wizard.review.networks.provider", { cidr: "192.168.158.0/24", gateway: "192.168.158.254" }),
        t("wizard.review.networks.floating", { start: "192.168.158.200", end: "192.168.158.220" }),
        t("wizard.review.networks.selfService", { cidr: "10.200.0.0/16" }),
      ]);
      await expect(page.getByText(clash)).toHaveCount(0);
      expect((await storedPlan(id)).settings).toMatchObject({ floatingIpStart: "192.168.158.200", floatingIpEnd: "192.168.158.220" });

      // ---- The tutorial's scope has no VM networks: no section, nothing on Review; back to compute, the values are still there.
      await openStep(page, "hosts");
      await page.getByRole("group", { name: t("wizard.scope.legend") }).getByRole("radio", { name: t("plan.scope.tutorial") }).check();
      await openStep(page, "passwords");
      await expect(page.getByRole("heading", { name: t("wizard.options.heading"), exact: true })).toBeVisible();
      await expect(page.getByRole("heading", { name: t("wizard.networks.heading") })).toHaveCount(0);
      await openStep(page, "review");
      await expect(page.getByRole("heading", { name: t("wizard.review.networks.heading") })).toHaveCount(0);
      await openStep(page, "hosts");
      await page.getByRole("group", { name: t("wizard.scope.legend") }).getByRole("radio", { name: t("plan.scope.compute") }).check();
      await openStep(page, "passwords");
      await expect(field(page, "floatingIpStart")).toHaveValue("192.168.158.200");
    });
  });
}
