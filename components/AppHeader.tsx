"use client";

import Link from "next/link";
import { api } from "@/lib/api/apiClient";
import { useI18n } from "./i18n/I18nProvider";
import { LanguageSwitch } from "./i18n/LanguageSwitch";
import { Button } from "./ui/Button";

/** The page frame's top bar; `username` is set when someone is signed in. */
export function AppHeader({ username }: { username?: string }) {
  const { t } = useI18n();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-3 px-4 py-3">
        <Link href="/" className="rounded text-lg font-semibold text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-600">
          StackPilot
        </Link>
        <span className="text-sm text-slate-600">{t("app.tagline")}</span>
        <LanguageSwitch />
        {username && (
          <div className="flex items-center gap-2 text-sm text-slate-700">
            <span data-testid="signed-in-as">{t("auth.signedInAs", { username })}</span>
            <Button onClick={() => void api.signOut().finally(() => window.location.assign("/login"))}>{t("auth.signOut")}</Button>
          </div>
        )}
      </div>
    </header>
  );
}
