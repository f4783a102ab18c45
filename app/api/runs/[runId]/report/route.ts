import { isLocale, LOCALE_COOKIE, pickLocale } from "@/lib/i18n/locale";
import { isReportFormat, REPORT_FORMATS } from "@/lib/report/renderReport";
import { ApiError, apiHandler, notFound } from "@/server/http/apiHandler";
import { exportReport, ReportRefused } from "@/server/report/loadReport";

export const dynamic = "force-dynamic";

/** The value of one cookie in a Cookie header. */
function cookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/**
 * The install report of a deployment as a download: GET /api/runs/:runId/report?format=html|md|json&lang=en|zh-CN.
 * The language defaults to the one the UI shows (the stackpilot-locale cookie, else Accept-Language).
 * Secret values never appear in it.
 */
export const GET = apiHandler<{ runId: string }>(async ({ request, params, ctx }) => {
  const query = new URL(request.url).searchParams;
  const format = query.get("format") ?? "html";
  if (!isReportFormat(format)) throw new ApiError(400, { error: `format must be one of ${REPORT_FORMATS.join(", ")}.` });
  const lang = query.get("lang");
  if (lang !== null && !isLocale(lang)) throw new ApiError(400, { error: "lang must be en or zh-CN." });
  const locale = lang ?? pickLocale(cookie(request.headers.get("cookie"), LOCALE_COOKIE), request.headers.get("accept-language"));
  let report;
  try {
    report = await exportReport(ctx, params.runId, format, { locale });
  } catch (error) {
    if (error instanceof ReportRefused) throw new ApiError(409, { error: error.message });
    throw error;
  }
  if (!report) throw notFound("Run");
  return new Response(report.body, {
    headers: {
      "content-type": report.contentType,
      "content-disposition": `attachment; filename="${report.fileName}"`,
      "content-language": locale,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
