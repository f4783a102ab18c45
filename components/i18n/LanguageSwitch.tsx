"use client";

import { LOCALE_NAMES, LOCALES, isLocale } from "@/lib/i18n/locale";
import { useI18n } from "./I18nProvider";

/** The language menu in the page header; the choice is remembered. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="ml-auto flex items-center gap-2 text-sm text-slate-700">
      <span>{t("app.language")}</span>
      <select
        value={locale}
        onChange={(e) => isLocale(e.target.value) && setLocale(e.target.value)}
        className="rounded border border-slate-300 bg-white px-2 py-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-600"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
