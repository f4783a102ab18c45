import type { Locale } from "../i18n/locale";
import type { MessageKey } from "../i18n/messages";
import { translate } from "../i18n/translate";
import { phaseTitle, stepTitle } from "../runs/playbookTitles";
import { runMessageText } from "../runs/runMessages";
import type { RunStatus, StepStatus } from "../runs/status";
import { triageHintText, type TriageSection } from "../runs/triage";
import type { ReportData, ReportFailure, ReportSecret } from "./reportData";

/** Texts and values as both renderers show them. Pure, no Intl: the same report on every machine. */

/** "2026-11-27 22:45:24 UTC", or a dash. */
export function formatTime(iso: string | null, locale: Locale): string {
  if (!iso) return translate(locale, "report.none");
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function formatDuration(ms: number | null, locale: Locale): string {
  if (ms === null) return translate(locale, "report.none");
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return translate(locale, "report.duration.hours", { h, m });
  if (m > 0) return translate(locale, "report.duration.minutes", { m, s });
  // Under a second shows as a fraction, so a fast step is not "0 s".
  return translate(locale, "report.duration.seconds", { s: total === 0 && ms > 0 ? (ms / 1000).toFixed(1) : s });
}

export function statusLabel(locale: Locale, status: StepStatus | RunStatus): string {
  return translate(locale, `report.status.${status}` as MessageKey);
}

export const STATUS_ICONS: Record<StepStatus | RunStatus, string> = {
  pending: "○",
  running: "◔",
  succeeded: "✓",
  failed: "✗",
  skipped: "↷",
  cancelled: "■",
  interrupted: "!",
  manual: "✓",
  paused: "‖",
};

export const REPORT_SECTIONS = ["summary", "plan", "topology", "phases", "ports", "verification", "failures", "openrc", "commands"] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export function sectionTitle(locale: Locale, section: ReportSection): string {
  return translate(locale, `report.section.${section}` as MessageKey);
}

export function roleLabel(locale: Locale, role: string): string {
  return role === "controller" || role === "compute" ? translate(locale, `report.role.${role}`) : role;
}

export function settingLabel(locale: Locale, key: string): string {
  const labelKey = `report.setting.${key}` as MessageKey;
  const label = translate(locale, labelKey);
  return label === labelKey ? key : label;
}

/** A setting's value in words where it is one of a few (shared/perHost, password/key, vault…), else as entered. */
export function settingValue(locale: Locale, key: string, value: string): string {
  const valueKey = `report.value.${key === "authMethod" ? "sharedAuthMethod" : key}.${value}` as MessageKey;
  const text = translate(locale, valueKey);
  return text === valueKey ? value : text;
}

export function secretLabel(locale: Locale, secret: ReportSecret): string {
  if (secret.kind === "service") return secret.name;
  const kind = translate(locale, secret.credential === "password" ? "report.plan.sshPassword" : "report.plan.sshPrivateKey");
  return secret.host === null ? translate(locale, "report.plan.sshShared", { kind }) : translate(locale, "report.plan.sshHost", { kind, host: secret.host });
}

export function secretState(locale: Locale, secret: ReportSecret): string {
  if (!secret.set) return translate(locale, "report.plan.secretNotSet");
  return secret.setAt ? [translate(locale, "report.plan.secretSet"), translate(locale, "report.plan.secretSetAt", { time: formatTime(secret.setAt, locale) })].join(translate(locale, "report.listSeparator")) : translate(locale, "report.plan.secretSet");
}

/** "56: 40 succeeded, 15 already done, 1 failed". */
export function stepRunsSummary(locale: Locale, data: ReportData): string {
  if (data.run.stepRunCount === 0) return "0";
  const counts = Object.entries(data.run.statusCounts)
    .map(([status, count]) => translate(locale, "report.summary.counts", { count: count ?? 0, status: statusLabel(locale, status as StepStatus) }))
    .join(translate(locale, "report.listSeparator"));
  return translate(locale, "report.summary.stepRunsValue", { count: data.run.stepRunCount, counts });
}

export function fromLabel(locale: Locale, host: string): string {
  return host === "wizard" ? translate(locale, "report.ports.thisMachine") : host;
}

/** Columns of the port matrix: every to-host:port checked, in first-seen order. */
export function portMatrix(data: ReportData) {
  const routes = [...new Set(data.ports.map((p) => p.fromHost))];
  const columns = [...new Map(data.ports.map((p) => [`${p.toHost}:${p.port}`, { toHost: p.toHost, port: p.port, label: p.label }])).values()];
  const cell = (from: string, column: { toHost: string; port: number }) => data.ports.find((p) => p.fromHost === from && p.toHost === column.toHost && p.port === column.port) ?? null;
  return { routes, columns, cell };
}

export function reportFileName(runId: string, format: "html" | "md" | "json"): string {
  return `stackpilot-report-${runId.replace(/[^A-Za-z0-9_-]/g, "_")}.${format}`;
}

/** The playbook speaks English; its phase and step titles in the reader's language (the playbook catalog). */
export function phaseName(locale: Locale, phase: { key: string; title: string }): string {
  return phaseTitle(locale, phase.key, phase.title);
}

export function stepName(locale: Locale, step: { key: string; title: string }): string {
  return stepTitle(locale, step.key, step.title);
}

/** The runner's own messages (a run's or a step's error), in the reader's language where known; a host's words stay as they are. */
export function messageText(locale: Locale, data: ReportData, message: string): string {
  const keyOf = new Map(data.phases.flatMap((p) => p.steps.map((s) => [s.title, s.key] as const)));
  return runMessageText(locale, message, (english) => {
    const key = keyOf.get(english);
    return key ? stepTitle(locale, key, english) : english;
  });
}

export function failureHint(locale: Locale, failure: Pick<ReportFailure, "hint" | "diagnosis">): string | null {
  return triageHintText(locale, { hint: failure.hint, diagnosis: failure.diagnosis ?? null });
}

/** A triage section's title in the reader's language when it says what was asked; else as the server wrote it. */
export function triageSectionTitle(locale: Locale, section: TriageSection): string {
  const probe = section.probe;
  if (probe?.kind === "status" && probe.unit) return translate(locale, "triage.section.status", { unit: probe.unit });
  if (probe?.kind === "journal" && probe.unit) return translate(locale, "triage.section.journal", { unit: probe.unit });
  if (probe?.kind === "ports") return translate(locale, "triage.section.ports");
  return section.title;
}
