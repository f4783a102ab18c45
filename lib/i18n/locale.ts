/** The UI's languages: English and Simplified Chinese (the tutorial's readers). */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "en";

/** Where the chosen language is remembered (a cookie, so the server renders the right one). */
export const LOCALE_COOKIE = "stackpilot-locale";

export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language to show: the one chosen before, else the first of the browser's languages that we
 * have (any Chinese → zh-CN), else English. `acceptLanguage` is an Accept-Language header or a list.
 */
export function pickLocale(chosen: string | undefined | null, acceptLanguage: string | readonly string[] | null | undefined): Locale {
  if (isLocale(chosen)) return chosen;
  const wanted = typeof acceptLanguage === "string" ? parseAcceptLanguage(acceptLanguage) : [...(acceptLanguage ?? [])];
  for (const tag of wanted) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return DEFAULT_LOCALE;
}

/** Language tags of an Accept-Language header, most wanted first. */
function parseAcceptLanguage(header: string): string[] {
  return header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((e) => e.tag && e.tag !== "*" && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((e) => e.tag);
}
