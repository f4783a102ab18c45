import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "StackPilot",
  description: "Install OpenStack on your servers over SSH and watch every step.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3">
            <Link href="/" className="text-lg font-semibold text-slate-900">
              StackPilot
            </Link>
            <span className="text-sm text-slate-600">OpenStack, installed step by step over SSH</span>
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-6">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
