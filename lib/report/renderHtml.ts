import type { Locale } from "../i18n/locale";
import { translate } from "../i18n/translate";
import type { RunStatus, StepStatus } from "../runs/status";
import {
  closedPortText,
  commandsFile,
  commandsNote,
  COMPUTE_FINDINGS_COLUMNS,
  computeFindingsNotes,
  computeFindingsRows,
  credentialState,
  findingMark,
  failureHint,
  failureTitle,
  formatTime,
  fromLabel,
  hostServices,
  messageText,
  phaseName,
  phaseTiming,
  PLAN_HOST_COLUMNS,
  portCellText,
  portMatrix,
  REPORT_SECTIONS,
  reportTopologySvg,
  roleLabel,
  scopeLabel,
  secretLabel,
  secretState,
  sectionTitle,
  settingLabel,
  settingValue,
  sshLogin,
  STATUS_ICONS,
  statusLabel,
  STEP_RUN_COLUMNS,
  stepName,
  stepRunTexts,
  summaryRows,
  svgDataUri,
  TOPOLOGY_COLUMNS,
  translator,
  triageSectionTitle,
  verificationSource,
  type ReportSection,
  type SummaryValue,
} from "./format";
import type { ComputeVerification } from "./computeVerification";
import { REPORT_MASK, verificationByStep, type ReportData } from "./reportData";
import { AGENT_COLUMNS, agentRows, VM_COLUMNS, vmNotes, vmRows, type Cell, type Tone } from "./vmFindings";

/** Every text that goes into the page goes through this: a host name or a log line stays text. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const e = escapeHtml;

const CSS = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bg-soft:#f5f7fa;--ok:#1e7b34;--ok-bg:#e3f9e5;--bad:#b42318;--bad-bg:#fde8e8;--warn:#8a5a00;--warn-bg:#fff4d6;--info:#1849a9;--info-bg:#e6f0ff}
*{box-sizing:border-box}
html{font-size:14px}
body{margin:0 auto;max-width:1100px;padding:24px;color:var(--fg);font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;line-height:1.45}
h1{font-size:1.8rem;margin:0 0 4px}
h2{font-size:1.35rem;margin:32px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:1.08rem;margin:20px 0 6px}
h4{font-size:.95rem;margin:12px 0 4px}
p{margin:6px 0}
.muted{color:var(--muted)}
.note{color:var(--muted);font-size:.92rem}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:.92rem}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
thead th{background:var(--bg-soft)}
th[scope=row]{background:var(--bg-soft);font-weight:600;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:.85rem}
pre{background:var(--bg-soft);border:1px solid var(--line);border-radius:4px;padding:8px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0 10px}
pre.script{font-size:.78rem;line-height:1.3}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:.85rem;font-weight:600;white-space:nowrap}
.st-succeeded,.st-manual,.open{background:var(--ok-bg);color:var(--ok)}
.st-failed,.closed{background:var(--bad-bg);color:var(--bad)}
.st-cancelled,.st-interrupted,.st-paused{background:var(--warn-bg);color:var(--warn)}
.st-running{background:var(--info-bg);color:var(--info)}
.st-pending,.st-skipped,.unchecked{background:var(--bg-soft);color:var(--muted)}
td.open,td.closed,td.unchecked,td.warn{text-align:center}
td.warn{background:var(--warn-bg);color:var(--warn)}
nav#toc ol{columns:2;margin:6px 0;padding-left:22px}
nav#toc a{color:var(--info);text-decoration:none}
header{border-bottom:3px solid var(--fg);padding-bottom:10px;margin-bottom:10px}
figure{margin:8px 0}
figure svg,figure img{max-width:100%;height:auto;border:1px solid var(--line)}
.failure{border-left:4px solid var(--bad);padding-left:12px;margin:14px 0}
.hint{background:var(--warn-bg);padding:6px 8px;border-radius:4px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
dl.kv dt{font-weight:600}
dl.kv dd{margin:0}
@page{size:A4;margin:14mm 12mm}
@media print{
  html{font-size:10.5pt}
  body{max-width:none;padding:0}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  nav#toc a{color:inherit}
  h2,h3,h4{break-after:avoid;page-break-after:avoid}
  tr,figure,.hint{break-inside:avoid;page-break-inside:avoid}
  thead{display:table-header-group}
  pre{overflow:visible;border-color:#bbb}
  pre.script{font-size:7pt}
  section#commands{break-before:page;page-break-before:always}
}
`;

function badge(locale: Locale, status: StepStatus | RunStatus): string {
  return `<span class="badge st-${e(status)}">${e(STATUS_ICONS[status] ?? "")} ${e(statusLabel(locale, status))}</span>`;
}

function pre(lines: string[] | string, className?: string, empty?: string): string {
  const text = Array.isArray(lines) ? lines.join("\n") : lines;
  return `<pre${className ? ` class="${className}"` : ""}>${e(text || empty || "")}</pre>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join("")}</tr>`).join("")}</tbody></table>`;
}

const td = (html: string, className?: string) => `<td${className ? ` class="${className}"` : ""}>${html}</td>`;

function section(locale: Locale, id: ReportSection, body: string): string {
  return `<section id="${id}"><h2>${e(sectionTitle(locale, id))}</h2>\n${body}\n</section>`;
}

function summary(data: ReportData, locale: Locale): string {
  const value = (v: SummaryValue) => ("status" in v ? badge(locale, v.status) : "code" in v ? `<code>${e(v.code)}</code>` : e(v.text));
  return `<table>${summaryRows(data, locale).map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${value(v)}</td></tr>`).join("")}</table>`;
}

function plan(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  const p = data.plan;
  const hosts = table(
    PLAN_HOST_COLUMNS.map((key) => t(key)),
    p.hosts.map((h) => {
      const login = sshLogin(locale, h);
      return [td(e(h.name)), td(e(roleLabel(locale, h.role))), td(`<code>${e(h.managementIp)}</code>`), td(`<code>${e(h.natIp)}</code>`), td(`<code>${e(login.target)}</code> (${e(login.method)})`), td(e(credentialState(locale, h)))];
    }),
  );
  const settings = table(
    [t("report.col.setting"), t("report.col.value")],
    p.settings.map((s) => [td(e(settingLabel(locale, s.key))), td(s.value ? `<code>${e(settingValue(locale, s.key, s.value))}</code>` : `<span class="muted">${t("report.plan.empty")}</span>`)]),
  );
  const secrets = table(
    [t("report.col.secret"), t("report.col.state")],
    p.secrets.map((s) => [td(s.kind === "service" ? `<code>${e(secretLabel(locale, s))}</code>` : e(secretLabel(locale, s))), td(e(secretState(locale, s)))]),
  );
  return [
    `<dl class="kv"><dt>${t("report.plan.name")}</dt><dd>${e(p.name)}</dd><dt>${t("report.plan.profile")}</dt><dd>${e(p.profileLabel)} (<code>${e(p.profile)}</code>)</dd><dt>${t("report.plan.scope")}</dt><dd>${e(scopeLabel(locale, p.scope))}</dd></dl>`,
    `<h3>${t("report.plan.hosts")}</h3>${hosts}`,
    `<h3>${t("report.plan.settings")}</h3>${settings}`,
    `<h3>${t("report.plan.secrets")}</h3><p class="note">${t("report.plan.secretsNote")}</p>${secrets}`,
  ].join("\n");
}

/**
 * The picture inline, as lib/topology draws it (every text escaped there). Should it ever hold
 * anything active (a script, an event handler, foreign HTML), it goes in as an <img> instead,
 * where none of that runs.
 */
export function inlineSvg(svg: string, alt: string): string {
  const active = /<script|<foreignObject|<iframe|\son\w+\s*=|javascript:|<use\b|\bhref\s*=/i.test(svg);
  if (svg.startsWith("<svg") && !active) return svg.replace(/^<svg/, `<svg aria-label="${e(alt)}"`);
  return `<img alt="${e(alt)}" src="${svgDataUri(svg)}">`;
}

function topology(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  const svg = reportTopologySvg(data, locale);
  const rows = data.topology.hosts.map((h) => [td(e(h.name)), td(e(roleLabel(locale, h.role))), td(`<code>${e(h.managementIp)}</code>`), td(`<code>${e(h.natIp)}</code>`), td(e(hostServices(data, h)))]);
  return [`<figure>${inlineSvg(svg, translate(locale, "report.topology.alt"))}</figure>`, table(TOPOLOGY_COLUMNS.map((key) => t(key)), rows)].join("\n");
}

function phases(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  if (data.run.stepRunCount === 0) return `<p>${t("report.phases.none")}</p>`;
  const head = STEP_RUN_COLUMNS.map((key) => t(key));
  return data.phases
    .map((phase) => {
      const rows = phase.steps.flatMap((step) => {
        const name = `<code>${e(step.key)}</code><br>${e(stepName(locale, step))}`;
        if (step.stepRuns.length === 0) return [[td(name), td(""), td(badge(locale, "pending")), td(""), td(""), td(""), td(""), td(""), td("")]];
        return step.stepRuns.map((s, i) => {
          const c = stepRunTexts(locale, data, s);
          return [td(i === 0 ? name : ""), td(e(c.host)), td(badge(locale, s.status)), td(c.attempt, "num"), td(c.exitCode, "num"), td(e(c.started)), td(e(c.finished)), td(e(c.duration), "num"), td(e(c.error))];
        });
      });
      return `<h3 id="phase-${e(phase.key)}">${e(phaseName(locale, phase))} ${badge(locale, phase.status)}</h3><p class="muted">${e(phaseTiming(locale, phase))}</p>${table(head, rows)}`;
    })
    .join("\n");
}

function ports(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  if (data.ports.length === 0) return `<p>${t("report.ports.none")}</p>`;
  const { routes, columns, cell } = portMatrix(data);
  const head = [t("report.col.route"), ...columns.map((c) => `${e(c.toHost)}:<code>${c.port}</code>${c.label ? `<br><span class="muted">${e(c.label)}</span>` : ""}`)];
  const rows = routes.map((from) => [
    `<th scope="row">${e(fromLabel(locale, from))}</th>`,
    ...columns.map((c) => {
      const check = cell(from, c);
      if (!check) return td(e(portCellText(locale, null)), "unchecked");
      const title = ` title="${e(`${formatTime(check.checkedAt, locale)}${check.error ? ` — ${check.error}` : ""}`)}"`;
      return `<td class="${check.open ? "open" : "closed"}"${title}>${e(portCellText(locale, check))}</td>`;
    }),
  ]);
  const closed = data.ports.filter((p) => !p.open);
  const errors = closed.length
    ? `<h3>${t("report.ports.errors")}</h3><ul>${closed.map((p) => `<li>${e(closedPortText(locale, p))} <span class="muted">${e(formatTime(p.checkedAt, locale))}</span></li>`).join("")}</ul>`
    : "";
  return `<p class="note">${t("report.ports.note")}</p>${table(head, rows)}${errors}`;
}

function verification(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  if (data.verification.length === 0) return `<p>${t("report.verification.none")}</p>`;
  const steps = verificationByStep(data.verification).map((entries) => {
    const [first] = entries;
    return [
      `<h3 id="verify-${e(first.stepKey)}"><code>${e(first.stepKey)}</code> ${e(stepName(locale, { key: first.stepKey, title: first.stepTitle }))}</h3>`,
      `<p><strong>${t("report.verification.command")}:</strong></p>${pre(first.commands)}`,
      ...entries.map((v) =>
        [
          `<h4>${e(v.hostName)} ${badge(locale, v.status)}</h4>`,
          `<p class="muted">${e(verificationSource(locale, v))}</p>`,
          v.compute ? computeFindings(v.compute, locale) : "",
          v.source.kind === "none" ? "" : pre(v.lines, undefined, translate(locale, "report.verification.noOutput")),
        ].join("\n"),
      ),
    ].join("\n");
  });
  return `<p class="note">${t("report.verification.note")}</p>\n${vmCheck(data, locale)}${steps.join("\n")}`;
}

const TONE_CLASS: Record<Tone, string | undefined> = { ok: "open", warn: "warn", bad: "closed", plain: undefined };

/** The compute scope's VMs (one per compute) and network agents, as verify.vm and verify.network found them. */
function vmCheck(data: ReportData, locale: Locale): string {
  const check = data.vmCheck;
  if (!check) return "";
  const t = translator(locale, e);
  const rows = (cells: Cell[][]) => cells.map((row) => row.map((c) => td(e(c.text), TONE_CLASS[c.tone])));
  const parts: string[] = [];
  if (check.vms) {
    const notes = vmNotes(locale, check.vms);
    parts.push(
      `<h3 id="vms">${t("report.vms.title")}</h3>`,
      `<p class="note">${t("report.vms.note")}</p>`,
      table(VM_COLUMNS.map((key) => t(key)), rows(vmRows(locale, check.vms))),
      notes.length ? `<ul>${notes.map((note) => `<li>${e(note)}</li>`).join("")}</ul>` : "",
    );
  }
  if (check.agents) parts.push(`<h3 id="agents">${t("report.agents.title")}</h3>`, table(AGENT_COLUMNS.map((key) => t(key)), rows(agentRows(locale, check.agents))));
  return `${parts.filter(Boolean).join("\n")}\n`;
}

/** verify.compute's findings: a row per compute, then the controller's services and nova-status. */
function computeFindings(findings: ComputeVerification, locale: Locale): string {
  const t = translator(locale, e);
  const cell = (text: string) => td(e(text), { "✓": "open", "!": "warn", "✗": "closed" }[findingMark(text)]);
  const rows = computeFindingsRows(locale, findings).map(([host, ...checks]) => [td(e(host)), ...checks.map(cell)]);
  return [
    `<p><strong>${t("report.verification.compute.title")}</strong></p>`,
    table(COMPUTE_FINDINGS_COLUMNS.map((key) => t(key)), rows),
    `<ul>${computeFindingsNotes(locale, findings).map((note) => `<li>${e(note)}</li>`).join("")}</ul>`,
  ].join("\n");
}

function failures(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  if (data.failures.length === 0) return `<p>${t("report.failures.none")}</p>`;
  return data.failures
    .map((f) => {
      const title = failureTitle(locale, f);
      const hint = failureHint(locale, f);
      return [
        `<div class="failure"><h3>${e(title)}</h3>`,
        `<p>${e(stepName(locale, { key: f.stepKey, title: f.stepTitle }))}</p>`,
        f.error ? `<p><strong>${t("report.col.error")}:</strong> ${e(messageText(locale, data, f.error))}</p>` : "",
        hint ? `<p class="hint"><strong>${t("report.failures.hint")}:</strong> ${e(hint)}</p>` : "",
        `<h4>${t("report.failures.logTail")}</h4>${pre(f.logTail, undefined, translate(locale, "report.failures.noLog"))}`,
        f.sections.length ? `<h4>${t("report.failures.hostSays")}</h4>` : "",
        ...f.sections.map((s) => `<p><strong>${e(triageSectionTitle(locale, s))}</strong> — <code>${e(s.command)}</code></p>${pre(s.output)}`),
        "</div>",
      ].join("\n");
    })
    .join("\n");
}

function openrc(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  const o = data.openrc;
  if (!o) return `<p>${t("report.openrc.absent")}</p>`;
  return [
    `<p class="note">${e(translate(locale, "report.openrc.note", { path: o.path, host: o.hostName }))}</p>`,
    o.stepStatus ? `<p>${e(translate(locale, "report.openrc.status", { status: statusLabel(locale, o.stepStatus) }))}</p>` : "",
    pre(o.text),
  ].join("\n");
}

function commands(data: ReportData, locale: Locale): string {
  const hosts = data.commands.map(
    (c) => `<h3 id="commands-${e(c.hostName)}">${e(c.hostName)} <span class="muted">(${e(roleLabel(locale, c.role))})</span> — <code>${e(commandsFile(locale, c))}</code></h3>${pre(c.script, "script")}`,
  );
  return `<p class="note">${e(commandsNote(locale, data))}</p>\n${hosts.join("\n")}`;
}

const RENDER: Record<ReportSection, (data: ReportData, locale: Locale) => string> = {
  summary,
  plan,
  topology,
  phases,
  ports,
  verification,
  failures,
  openrc,
  commands,
};

/** The report as one self-contained HTML page: inline CSS (print-ready), no script, nothing loaded from elsewhere. */
export function renderHtml(data: ReportData, locale: Locale): string {
  const t = translator(locale, e);
  const toc = REPORT_SECTIONS.map((id) => `<li><a href="#${id}">${e(sectionTitle(locale, id))}</a></li>`).join("");
  return [
    "<!DOCTYPE html>",
    `<html lang="${e(locale)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="StackPilot">`,
    `<title>${t("report.title")} — ${e(data.plan.name)} — ${e(data.run.id)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<header><h1>${t("report.title")}</h1>`,
    `<p>${t("report.subtitle", { plan: data.plan.name, run: data.run.id })} ${badge(locale, data.run.status)}</p>`,
    `<p class="muted">${t("report.generatedAt", { time: formatTime(data.generatedAt, locale) })}</p>`,
    `<p class="note">${t("report.maskNote", { mask: REPORT_MASK })}</p></header>`,
    `<nav id="toc"><h2>${t("report.toc")}</h2><ol>${toc}</ol></nav>`,
    ...REPORT_SECTIONS.map((id) => section(locale, id, RENDER[id](data, locale))),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
