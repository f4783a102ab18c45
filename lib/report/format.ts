import type { Locale } from "../i18n/locale";
import type { MessageKey } from "../i18n/messages";
import { translate } from "../i18n/translate";
import { phaseTitle, stepTitle } from "../runs/playbookTitles";
import { runMessageText } from "../runs/runMessages";
import type { RunStatus, StepStatus } from "../runs/status";
import { triageHintText, type TriageSection } from "../runs/triage";
import type { PlaybookScope } from "../playbook/scope";
import { topologySvg } from "../topology/topologySvg";
import { novaStatusResult, type ComputeVerification } from "./computeVerification";
import {
  topologyLabels,
  type ReportData,
  type ReportFailure,
  type ReportHost,
  type ReportHostCommands,
  type ReportPhase,
  type ReportPortCheck,
  type ReportSecret,
  type ReportStepRun,
  type ReportVerification,
  type TopologyHost,
} from "./reportData";

/**
 * Texts and values as both renderers (renderHtml.ts, renderMarkdown.ts) show them: each renderer
 * adds only its markup and its escaping. Pure, no Intl: the same report on every machine.
 */

/** `translate`, escaped the renderer's way. */
export function translator(locale: Locale, escape: (text: string) => string) {
  return (key: MessageKey, params?: Record<string, string | number>) => escape(translate(locale, key, params));
}

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

export function scopeLabel(locale: Locale, scope: PlaybookScope): string {
  return settingValue(locale, "scope", scope);
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

/** UTF-8 text as base64, in Node and in browsers alike. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The picture as an image: an SVG loaded by <img> runs no script and loads nothing, whatever it holds. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${base64(svg)}`;
}

/** The data's picture, or one drawn with this language's labels when the data was made in another. */
export function reportTopologySvg(data: ReportData, locale: Locale): string {
  return locale === data.locale ? data.topology.svg : topologySvg({ hosts: data.topology.hosts, services: data.topology.services, networks: data.topology.networks }, topologyLabels(locale));
}

/** A value of the summary table: text, an id (shown as code), or a status (shown with its icon). */
export type SummaryValue = { text: string } | { code: string } | { status: RunStatus };

/** The summary table's rows: label and value. */
export function summaryRows(data: ReportData, locale: Locale): [string, SummaryValue][] {
  const t = (key: MessageKey) => translate(locale, key);
  const r = data.run;
  const rows: [string, SummaryValue][] = [
    [t("report.summary.run"), { code: r.id }],
    [t("report.summary.status"), { status: r.status }],
    [t("report.plan.scope"), { text: scopeLabel(locale, data.plan.scope) }],
    [t("report.summary.created"), { text: formatTime(r.createdAt, locale) }],
    [t("report.summary.started"), { text: formatTime(r.startedAt, locale) }],
    [t("report.summary.finished"), { text: r.finishedAt ? formatTime(r.finishedAt, locale) : t("report.summary.notFinished") }],
    [t("report.summary.duration"), { text: formatDuration(r.durationMs, locale) }],
    [t("report.summary.stepRuns"), { text: stepRunsSummary(locale, data) }],
    [t("report.summary.attempts"), { text: String(r.attempts) }],
  ];
  if (r.error) rows.push([t("report.summary.error"), { text: messageText(locale, data, r.error) }]);
  return rows;
}

/** Column titles of the plan's host table, the topology's, and each phase's step table. */
export const PLAN_HOST_COLUMNS = ["report.col.host", "report.col.role", "report.col.managementIp", "report.col.natIp", "report.col.ssh", "report.col.credentials"] as const satisfies MessageKey[];
export const TOPOLOGY_COLUMNS = ["report.col.host", "report.col.role", "report.col.managementIp", "report.col.natIp", "report.col.services"] as const satisfies MessageKey[];
export const STEP_RUN_COLUMNS = [
  "report.col.step",
  "report.col.host",
  "report.col.status",
  "report.col.attempt",
  "report.col.exitCode",
  "report.col.started",
  "report.col.finished",
  "report.col.duration",
  "report.col.error",
] as const satisfies MessageKey[];

/** "root@10.0.0.11:22" and how it logs in ("password"). */
export function sshLogin(locale: Locale, host: ReportHost): { target: string; method: string } {
  return { target: `${host.sshUser}@${host.managementIp}:${host.sshPort}`, method: settingValue(locale, "sharedAuthMethod", host.authMethod) };
}

export function credentialState(locale: Locale, host: ReportHost): string {
  return translate(locale, host.credentialSet ? "report.plan.secretSet" : "report.plan.secretNotSet");
}

export function hostServices(data: ReportData, host: TopologyHost): string {
  return (data.topology.services[host.name] ?? []).join(", ");
}

/** A step run's cells after the step and the status: host, attempt, exit code, times, error. */
export function stepRunTexts(locale: Locale, data: ReportData, s: ReportStepRun) {
  return {
    host: s.hostName,
    attempt: String(s.attempt),
    exitCode: s.exitCode === null ? "" : String(s.exitCode),
    started: formatTime(s.startedAt, locale),
    finished: formatTime(s.finishedAt, locale),
    duration: formatDuration(s.durationMs, locale),
    error: s.error ? messageText(locale, data, s.error) : "",
  };
}

export function phaseTiming(locale: Locale, phase: ReportPhase): string {
  return translate(locale, "report.phases.timing", {
    started: formatTime(phase.startedAt, locale),
    finished: formatTime(phase.finishedAt, locale),
    duration: formatDuration(phase.durationMs, locale),
  });
}

/** A cell of the port matrix: "✓ open", "✗ closed" or "not checked". */
export function portCellText(locale: Locale, check: ReportPortCheck | null): string {
  if (!check) return translate(locale, "report.ports.notChecked");
  return check.open ? `✓ ${translate(locale, "report.ports.open")}` : `✗ ${translate(locale, "report.ports.closed")}`;
}

/** "c1 → ct:5000 (Keystone): refused" for a port that did not answer. */
export function closedPortText(locale: Locale, p: ReportPortCheck): string {
  return `${fromLabel(locale, p.fromHost)} → ${p.toHost}:${p.port}${p.label ? ` (${p.label})` : ""}: ${p.error ?? ""}`;
}

export function verificationSource(locale: Locale, v: ReportVerification): string {
  if (v.source.kind === "this-run") return translate(locale, "report.verification.thisRun", { status: statusLabel(locale, v.status), time: formatTime(v.source.at, locale) });
  if (v.source.kind === "earlier-run") return translate(locale, "report.verification.earlierRun", { run: v.source.runId, time: formatTime(v.source.at, locale) });
  return translate(locale, "report.verification.notRun", { status: statusLabel(locale, v.status) });
}

export function failureTitle(locale: Locale, f: ReportFailure): string {
  return translate(locale, "report.failures.title", { step: f.stepKey, host: f.hostName, status: statusLabel(locale, f.status), attempt: f.attempt });
}

/** What the commands section says about the secrets the scripts read. */
export function commandsNote(locale: Locale, data: ReportData): string {
  const names = [...new Set(data.commands.flatMap((c) => c.secrets))];
  return names.length ? translate(locale, "report.commands.note", { names: names.join(", ") }) : translate(locale, "report.commands.noSecrets");
}

/** "ct.sh, 412 lines". */
export function commandsFile(locale: Locale, c: ReportHostCommands): string {
  return translate(locale, "report.commands.file", { file: c.fileName, lines: c.script.split("\n").length });
}

/** Columns of the compute verification's table: one row per compute. */
export const COMPUTE_FINDINGS_COLUMNS = ["report.col.compute", "report.col.novaCompute", "report.col.hypervisor", "report.col.resourceProvider"] as const satisfies MessageKey[];

const found = (ok: boolean, text: string) => `${ok ? "✓" : "✗"} ${text}`;

/** ✓ good, ! a warning, ✗ bad: how a finding's text starts. */
export type FindingMark = "✓" | "!" | "✗";

export function findingMark(text: string): FindingMark {
  return text.startsWith("✓") ? "✓" : text.startsWith("!") ? "!" : "✗";
}

/** nova-compute up and enabled: ✓; up but disabled (the scheduler leaves it out): !; down or not listed: ✗. */
function novaComputeText(locale: Locale, h: ComputeVerification["computes"][number]): string {
  const t = (key: MessageKey) => translate(locale, key);
  if (h.novaCompute !== "up") return found(false, h.novaCompute ?? t("report.verification.compute.notListed"));
  if (h.novaComputeStatus === "disabled") return `! ${h.novaCompute}${t("report.listSeparator")}${t("report.verification.compute.disabled")}`;
  return found(true, h.novaCompute);
}

/** Per compute: nova-compute's state, its hypervisor (and type), its resource provider; each marked ✓, ! or ✗. */
export function computeFindingsRows(locale: Locale, c: ComputeVerification): string[][] {
  const t = (key: MessageKey) => translate(locale, key);
  return c.computes.map((h) => [
    h.host,
    novaComputeText(locale, h),
    found(h.hypervisor, h.hypervisor ? (h.hypervisorType ?? t("report.verification.compute.present")) : t("report.verification.compute.missing")),
    found(h.resourceProvider, t(h.resourceProvider ? "report.verification.compute.present" : "report.verification.compute.missing")),
  ]);
}

/** "nova-scheduler on ct: ✓ up", one per controller service, then nova-status's result with each check's. */
export function computeFindingsNotes(locale: Locale, c: ComputeVerification): string[] {
  const services = c.controller.map(({ binary, host, state }) =>
    translate(locale, "report.verification.compute.service", { binary, host, state: found(state === "up", state ?? translate(locale, "report.verification.compute.notListed")) }),
  );
  const result = novaStatusResult(c.novaStatus);
  const status = result
    ? translate(locale, "report.verification.compute.novaStatus", {
        result: `${result === "Success" ? "✓" : result === "Warning" ? "!" : "✗"} ${result} (${c.novaStatus.map((check) => `${check.check}: ${check.result}`).join(translate(locale, "report.listSeparator"))})`,
      })
    : translate(locale, "report.verification.compute.noNovaStatus");
  return [...services, status];
}
