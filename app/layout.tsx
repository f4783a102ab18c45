import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/AppHeader";
import { I18nProvider } from "@/components/i18n/I18nProvider";
import { LOCALE_COOKIE, pickLocale } from "@/lib/i18n/locale";
import { SIGNED_IN_USER_HEADER } from "@/server/auth/requestGate";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "StackPilot",
  description: "Install OpenStack on your servers over SSH and watch every step.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The language chosen before (cookie), else the browser's: decided here so the first paint is right.
  const requestHeaders = await headers();
  const locale = pickLocale((await cookies()).get(LOCALE_COOKIE)?.value, requestHeaders.get("accept-language"));
  const username = requestHeaders.get(SIGNED_IN_USER_HEADER) ?? undefined;
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <I18nProvider initialLocale={locale}>
          <AppHeader username={username} />
          <main className="mx-auto max-w-5xl px-4 py-6">
            <Providers>{children}</Providers>
          </main>
        </I18nProvider>
      </body>
    </html>
  );
}
