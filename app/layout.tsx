import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/AppHeader";
import { I18nProvider } from "@/components/i18n/I18nProvider";
import { APP_ICONS } from "@/lib/appIcons";
import { LOCALE_COOKIE, pickLocale } from "@/lib/i18n/locale";
import { SIGNED_IN_USER_HEADER } from "@/server/auth/requestGate";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "StackPilot",
  description: "Install OpenStack on your servers over SSH and watch every step.",
  icons: {
    icon: [
      { url: APP_ICONS.ico, sizes: "16x16 32x32" },
      { url: APP_ICONS.png32, type: "image/png", sizes: "32x32" },
      { url: APP_ICONS.svg, type: "image/svg+xml", sizes: "any" },
    ],
    apple: [{ url: APP_ICONS.appleTouch, sizes: "180x180" }],
  },
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
