import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The rules the pages are held to: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe-core over the whole page as it is now and fails on any violation, listing each rule
 * with the elements it found (so the failure says what to fix without opening a trace).
 * Closed <details> are opened first: their content is part of the page a reader can reach.
 */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  await page.evaluate(() => document.querySelectorAll("details:not([open])").forEach((d) => d.setAttribute("open", "")));
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")} — ${n.failureSummary?.replace(/\s+/g, " ")}`).join("\n")}`);
  expect(found, `WCAG 2.1 AA violations on ${what}`).toEqual([]);
}
