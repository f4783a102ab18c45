"use client";

import { useI18n } from "../i18n/I18nProvider";

const FORMATS = [
  { format: "html", label: "HTML" },
  { format: "md", label: "Markdown" },
  { format: "json", label: "JSON" },
] as const;

/** "Export install report": the run's report as a download, in the UI's language. */
export function ExportReport({ runId }: { runId: string }) {
  const { t, locale } = useI18n();
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="export-report">
      <span className="font-medium">{t("dashboard.exportReport")}</span>
      {FORMATS.map(({ format, label }) => (
        <a
          key={format}
          href={`/api/runs/${runId}/report?format=${format}&lang=${locale}`}
          download
          className="rounded border border-slate-300 bg-white px-2 py-1 text-blue-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-600"
        >
          {label}
        </a>
      ))}
    </div>
  );
}
