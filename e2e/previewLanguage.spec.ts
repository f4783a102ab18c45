import type { Page } from "@playwright/test";
import type { Locale } from "../lib/i18n/locale";
import type { PlaybookInput } from "../lib/playbook/playbookInput";
import type { Playbook } from "../lib/playbook/types";
import { phaseTitle, stepTitle } from "../lib/runs/playbookTitles";
import { expect, test } from "./support/test";
import { createPreviewablePlan } from "./support/tutorialPlan";

/**
 * Issue 14: "Preview the scripts" shows the phase and step titles in the UI's language, as the
 * dashboard does (the scripts themselves stay as they run).
 */

const CJK = /[\u4e00-\u9fff]/;

/** The phase headings and step titles the preview shows for the host picked. */
async function shownTitles(page: Page): Promise<{ phases: string[]; steps: string[] }> {
  return page.evaluate(() => ({
    phases: [...document.querySelectorAll("main section > h2")].map((h) => h.textContent!.trim()),
    steps: [...document.querySelectorAll('main details[data-testid^="preview-"] > summary')].map((s) => s.firstChild!.textContent!.trim()),
  }));
}

/** What the preview should show for a host of `role`: the playbook's titles said in `locale`. */
function expectedTitles(playbook: Playbook, role: string, locale: Locale): { phases: string[]; steps: string[] } {
  const phases = playbook.phases.map((phase) => ({ phase, steps: phase.steps.filter((s) => s.roles.includes(role as never)) })).filter((p) => p.steps.length > 0);
  return {
    phases: phases.map(({ phase }) => phaseTitle(locale, phase.key, phase.title)),
    steps: phases.flatMap(({ steps }) => steps.map((s) => stepTitle(locale, s.key, s.title))),
  };
}

test.describe("a browser in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("the preview in Chinese: every phase and step title in Chinese, for each host; in English after switching, at once", async ({ page, request }) => {
    const { id } = await createPreviewablePlan(request);
    const { input, playbook } = (await (await request.get(`/api/plans/${id}/playbook`)).json()) as { input: PlaybookInput; playbook: Playbook };
    const compute = input.hosts.find((h) => h.role === "compute")!;

    await page.goto(`/plans/${id}/preview`);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("预览");
    // The tutorial's first phases, by name, and a step of the base system.
    await expect(page.getByRole("heading", { level: 2, name: "预检" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "基础系统" })).toBeVisible();
    await expect(page.getByTestId("preview-base.hostname").locator("summary")).toContainText("设置主机名");
    await expect(page.getByRole("heading", { level: 2, name: "Base system" })).toHaveCount(0);

    // Every title on the page, the controller's then a compute node's: Chinese, none left in English.
    for (const host of [input.hosts[0], compute]) {
      await page.getByRole("main").getByRole("combobox").selectOption(host.id);
      const expected = expectedTitles(playbook, host.role, "zh-CN");
      await expect.poll(() => shownTitles(page)).toEqual(expected);
      for (const title of [...expected.phases, ...expected.steps]) expect(title, "a title with no Chinese").toMatch(CJK);
    }
    // The scripts are shown as they run: never translated.
    const hostname = page.getByTestId("preview-base.hostname");
    await hostname.locator("summary").click();
    await expect(hostname.locator("pre").first()).not.toContainText(CJK);
    await page.screenshot({ path: "test-results/screenshots/preview-zh-CN.png", fullPage: true });

    // English from the header's language switch: the titles change at once, as the playbook says them.
    await page.getByRole("combobox", { name: "语言" }).selectOption("en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Preview");
    await expect(page.getByRole("heading", { level: 2, name: "Base system" })).toBeVisible();
    await expect.poll(() => shownTitles(page)).toEqual(expectedTitles(playbook, compute.role, "en"));
    const english = expectedTitles(playbook, compute.role, "en");
    expect(english.steps).toContain("Set the hostname");
    for (const title of [...english.phases, ...english.steps]) expect(title).not.toMatch(CJK);
    await page.screenshot({ path: "test-results/screenshots/preview-en.png", fullPage: true });
});
});

test.describe("a browser in English", () => {
  test.use({ locale: "en-US" });

  test("the preview in English: the playbook's titles", async ({ page, request }) => {
    const { id } = await createPreviewablePlan(request);
    const { input, playbook } = (await (await request.get(`/api/plans/${id}/playbook`)).json()) as { input: PlaybookInput; playbook: Playbook };
    await page.goto(`/plans/${id}/preview`);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 2, name: "Preflight" })).toBeVisible();
    await expect(page.getByTestId("preview-base.hostname").locator("summary")).toContainText("Set the hostname");
    const expected = expectedTitles(playbook, input.hosts[0].role, "en");
    expect(expected.phases).toEqual(playbook.phases.filter((p) => p.steps.some((s) => s.roles.includes(input.hosts[0].role))).map((p) => p.title));
    await expect.poll(() => shownTitles(page)).toEqual(expected);
  });
});
