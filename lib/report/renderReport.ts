import type { Locale } from "../i18n/locale";
import { reportFileName } from "./format";
import type { ReportData } from "./reportData";
import { renderHtml } from "./renderHtml";
import { renderMarkdown } from "./renderMarkdown";

export const REPORT_FORMATS = ["html", "md", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === "string" && (REPORT_FORMATS as readonly string[]).includes(value);
}

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** The report in one format: HTML and Markdown in the language asked; JSON is the data itself. */
export function renderReport(data: ReportData, format: ReportFormat, locale: Locale): string {
  if (format === "html") return renderHtml(data, locale);
  if (format === "md") return renderMarkdown(data, locale);
  return `${JSON.stringify(data, null, 2)}\n`;
}

export { reportFileName };
