"use client";

import Link from "next/link";
import { useI18n } from "./i18n/I18nProvider";
import { LanguageSwitch } from "./i18n/LanguageSwitch";

export function AppHeader() {
  const { t } = useI18n();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-3 px-4 py-3">
        <Link href="/" className="rounded text-lg font-semibold text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-600">
          StackPilot
        </Link>
        <span className="text-sm text-slate-600">{t("app.tagline")}</span>
        <LanguageSwitch />
      </div>
    </header>
  );
}
