import type { Locale } from "../i18n/locale";
import { MESSAGES } from "../i18n/messages";

/**
 * Phase and step titles in the reader's language (lib/i18n/messages/playbook.ts). The playbook
 * speaks English; a catalog entry translates a title only when its English text matches the
 * playbook's title (a `{value}` standing for a part from the plan), so a step whose title changed
 * in code shows its new English title instead of a stale translation. Pure: the dashboard, the
 * preview and the report share it.
 */

type Pattern = { key: string; regex: RegExp };

const cache = new Map<string, Pattern[]>();

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The catalog entries for `prefix` (the entry itself and its `#variants`), as patterns over the English title. */
function patternsFor(prefix: string): Pattern[] {
  let patterns = cache.get(prefix);
  if (!patterns) {
    const english = MESSAGES.en as Record<string, string>;
    patterns = Object.keys(english)
      .filter((key) => key === prefix || key.startsWith(`${prefix}#`))
      .map((key) => {
        const parts = english[key].split(/\{(\w+)\}/);
        const source = parts.map((part, i) => (i % 2 === 1 ? `(?<${part}>.+?)` : escapeRegex(part))).join("");
        return { key, regex: new RegExp(`^${source}$`, "s") };
      });
    cache.set(prefix, patterns);
  }
  return patterns;
}

function translated(locale: Locale, prefix: string, english: string): string {
  if (locale === "en") return english;
  const texts = MESSAGES[locale] as Record<string, string>;
  for (const { key, regex } of patternsFor(prefix)) {
    const match = regex.exec(english);
    const text = texts[key];
    if (match && text) {
      const values = match.groups ?? {};
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
    }
  }
  return english;
}

/** A step's title in `locale`: the translation of `english` (the playbook's title for this step), else `english`. */
export function stepTitle(locale: Locale, stepKey: string, english: string): string {
  return translated(locale, `playbook.step.${stepKey}`, english);
}

/** A phase's title in `locale`: the translation of `english`, else `english`. */
export function phaseTitle(locale: Locale, phaseKey: string, english: string): string {
  return translated(locale, `playbook.phase.${phaseKey}`, english);
}

/** Does `locale` have its own title for this step's English title? (For tests and the report.) */
export function hasStepTitle(locale: Locale, stepKey: string, english: string): boolean {
  return locale === "en" || patternsFor(`playbook.step.${stepKey}`).some(({ key, regex }) => regex.test(english) && Boolean((MESSAGES[locale] as Record<string, string>)[key]));
}
