import type { Locale } from "@/lib/i18n/locale";
import type { PlanSnapshot } from "@/lib/plan/planDiff";
import type { PlaybookInput } from "@/lib/playbook/playbookInput";
import type { Playbook } from "@/lib/playbook/types";
import { buildReportData, earlierVerifyKey, FAILURE_STATUSES, type EarlierVerify, type ReportData } from "@/lib/report/reportData";
import { REPORT_CONTENT_TYPES, renderReport, reportFileName, type ReportFormat } from "@/lib/report/renderReport";
import { isStepDone } from "@/lib/runs/status";
import { Redactor } from "../logs/redactor";
import type { LogStore } from "../store/logStore";
import type { PlanStore } from "../store/planStore";
import type { RunHistory } from "../store/runHistory";
import type { RunStore } from "../store/runStore";

/** What loading a report reads: the run, its log lines, earlier runs of its plan, and the plan (for its secrets, to mask them). */
export type ReportDeps = { runs: RunStore; logLines: LogStore; runHistory: RunHistory; plans: PlanStore };

export type ReportOptions = {
  locale: Locale;
  /** The report's "generated" time; now by default. */
  now?: Date;
  /** The playbook the run ran; the OpenStack playbook by default (tests of the runner use their own). */
  playbookFor?: (input: PlaybookInput) => Playbook;
};

/** A run there is no install report for (a host check, not a deployment). */
export class ReportRefused extends Error {}

const LOG_TAIL_LINES = 50;

/**
 * Everything the install report of one deployment shows, read from SQLite: the run, its step
 * runs, port checks, the plan as it ran, log tails of failures without a triage, and what verify
 * printed in earlier deployments of the plan for steps this one found already done. Every text
 * of the result is masked with the plan's secret values, whatever the stored rows hold.
 * Null when there is no such run.
 */
export async function loadReport(deps: ReportDeps, runId: string, options: ReportOptions): Promise<ReportData | null> {
  const run = await deps.runs.get(runId);
  if (!run) return null;
  if (run.kind !== "deploy") throw new ReportRefused("Only a deployment has an install report; this run is a host check.");
  const snapshot = JSON.parse((await deps.runs.planSnapshot(runId)) ?? "{}") as PlanSnapshot;
  const portChecks = await deps.runs.portChecks(runId);

  const logTails: Record<string, string[]> = {};
  for (const stepRun of run.stepRuns) {
    if (!FAILURE_STATUSES.includes(stepRun.status)) continue;
    const triage = stepRun.status === "failed" ? (stepRun.result as { triage?: { lastLines?: string[] } } | null)?.triage : undefined;
    if (triage?.lastLines?.length) continue;
    logTails[stepRun.id] = await deps.logLines.tail(runId, stepRun.id, LOG_TAIL_LINES);
  }

  // Steps this run found done (skipped, or done by hand): what verify printed when it last ran.
  const unverified = run.stepRuns.filter((s) => isStepDone(s.status) && !(s.result as { verifyOutput?: unknown } | null)?.verifyOutput);
  const earlierVerify: Record<string, EarlierVerify> = {};
  if (unverified.length > 0) {
    const rows = await deps.runHistory.earlierVerifyOutputs(run, [...new Set(unverified.map((s) => s.stepKey))]);
    const byHostId = new Map<string, EarlierVerify>();
    const byHostName = new Map<string, EarlierVerify>();
    for (const row of rows) {
      if (!Array.isArray(row.verifyOutput)) continue;
      const found: EarlierVerify = { runId: row.runId, at: row.at, lines: row.verifyOutput.map(String) };
      if (!byHostId.has(`${row.stepKey}@${row.hostId}`)) byHostId.set(`${row.stepKey}@${row.hostId}`, found);
      if (!byHostName.has(`${row.stepKey}@${row.hostName}`)) byHostName.set(`${row.stepKey}@${row.hostName}`, found);
    }
    for (const s of unverified) {
      const found = byHostId.get(`${s.stepKey}@${s.hostId}`) ?? byHostName.get(`${s.stepKey}@${s.hostName}`);
      if (found) earlierVerify[earlierVerifyKey(s.stepKey, s.hostId)] = found;
    }
  }

  const data = buildReportData({
    run,
    snapshot,
    portChecks,
    logTails,
    earlierVerify,
    generatedAt: (options.now ?? new Date()).toISOString(),
    locale: options.locale,
    playbookFor: options.playbookFor,
  });
  return redactDeep(data, await planRedactor(deps.plans, run.planId));
}

/** Masks the plan's secret values (as stored now) in any text. */
export async function planRedactor(plans: PlanStore, planId: string): Promise<Redactor> {
  return new Redactor(await plans.secretValues(planId));
}

/** Every string of a JSON value, masked: the last guard before a report leaves the server. */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === "string") return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactor.redact(key), redactDeep(item, redactor)])) as T;
  }
  return value;
}

export type ExportedReport = { body: string; fileName: string; contentType: string };

/**
 * A deployment's report in one format, ready to send or write; null when there is no such run.
 * The rendered text is masked once more (a secret that reached a label would still not leave).
 */
export async function exportReport(deps: ReportDeps, runId: string, format: ReportFormat, options: ReportOptions): Promise<ExportedReport | null> {
  const data = await loadReport(deps, runId, options);
  if (!data) return null;
  const redactor = await planRedactor(deps.plans, data.run.planId);
  return {
    body: redactor.redact(renderReport(data, format, options.locale)),
    fileName: reportFileName(data.run.id, format),
    contentType: REPORT_CONTENT_TYPES[format],
  };
}
