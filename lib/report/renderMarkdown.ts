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
import { AGENT_COLUMNS, agentRows, VM_COLUMNS, vmNotes, vmRows, type Cell } from "./vmFindings";
import { REPORT_MASK, verificationByStep, type ReportData } from "./reportData";

/**
 * Text outside code blocks: Markdown and HTML characters are escaped, so a host name or a log
 * line never becomes markup, a link or a raw <script>; line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~]/g, "\\$&")
    .replace(/^([#+-])(?=\s|$)/, "\\$1")
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, "$1\\$2");
}

const m = escapeMarkdown;

/** A fenced block that no line of the text can close early. */
export function codeBlock(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, "")}\n${fence}`;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map((c) => c || " ").join(" | ")} |`)].join("\n");
}

function status(locale: Locale, s: StepStatus | RunStatus): string {
  return `${STATUS_ICONS[s] ?? ""} ${m(statusLabel(locale, s))}`;
}

function summary(data: ReportData, locale: Locale): string {
  const value = (v: SummaryValue) => ("status" in v ? status(locale, v.status) : m("code" in v ? v.code : v.text));
  return table(["", ""], summaryRows(data, locale).map(([k, v]) => [`**${m(k)}**`, value(v)]));
}

function plan(data: ReportData, locale: Locale): string {
  const t = translator(locale, m);
  const p = data.plan;
  return [
    `- **${t("report.plan.name")}:** ${m(p.name)}`,
    `- **${t("report.plan.profile")}:** ${m(p.profileLabel)} (${m(p.profile)})`,
    `- **${t("report.plan.scope")}:** ${m(scopeLabel(locale, p.scope))}`,
    "",
    `### ${t("report.plan.hosts")}`,
    "",
    table(
      PLAN_HOST_COLUMNS.map((key) => t(key)),
      p.hosts.map((h) => {
        const login = sshLogin(locale, h);
        return [m(h.name), m(roleLabel(locale, h.role)), m(h.managementIp), m(h.natIp), `${m(login.target)} (${m(login.method)})`, m(credentialState(locale, h))];
      }),
    ),
    "",
    `### ${t("report.plan.settings")}`,
    "",
    table(
      [t("report.col.setting"), t("report.col.value")],
      p.settings.map((s) => [m(settingLabel(locale, s.key)), s.value ? m(settingValue(locale, s.key, s.value)) : t("report.plan.empty")]),
    ),
    "",
    `### ${t("report.plan.secrets")}`,
    "",
    t("report.plan.secretsNote"),
    "",
    table(
      [t("report.col.secret"), t("report.col.state")],
      p.secrets.map((s) => [m(secretLabel(locale, s)), m(secretState(locale, s))]),
    ),
  ].join("\n");
}

function topology(data: ReportData, locale: Locale): string {
  const t = translator(locale, m);
  return [
    `![${t("report.topology.alt")}](${svgDataUri(reportTopologySvg(data, locale))})`,
    "",
    table(
      TOPOLOGY_COLUMNS.map((key) => t(key)),
      data.topology.hosts.map((h) => [m(h.name), m(roleLabel(locale, h.role)), m(h.managementIp), m(h.natIp), m(hostServices(data, h))]),
    ),
  ].join("\n");
}

function phases(data: ReportData, locale: Locale): string {
  const t = translator(locale, m);
  if (data.run.stepRunCount === 0) return t("report.phases.none");
  const head = STEP_RUN_COLUMNS.map((key) => t(key));
  return data.phases
    .map((phase) => {
      const rows = phase.steps.flatMap((step) => {
        const name = `${m(step.key)}: ${m(stepName(locale, step))}`;
        if (step.stepRuns.length === 0) return [[name, "", status(locale, "pending"), "", "", "", "", "", ""]];
        return step.stepRuns.map((s, i) => {
          const c = stepRunTexts(locale, data, s);
          return [i === 0 ? name : "", m(c.host), status(locale, s.status), c.attempt, c.exitCode, m(c.started), m(c.finished), m(c.duration), m(c.error)];
        });
      });
      return [`### ${m(phaseName(locale, phase))}: ${status(locale, phase.status)}`, "", m(phaseTiming(locale, phase)), "", table(head, rows)].join("\n");
    })
    .join("\n\n");
}

function ports(data: ReportData, locale: Locale): string {
  const t = translator(locale, m);
  if (data.ports.length === 0) return t("report.ports.none");
  const { routes, columns, cell } = portMatrix(data);
  const head = [t("report.col.route"), ...columns.map((c) => `${m(c.toHost)}:${c.port}${c.label ? ` (${m(c.label)})` : ""}`)];
  const rows = routes.map((from) => [
    `**${m(fromLabel(locale, from))}**`,
    ...columns.map((c) => m(portCellText(locale, cell(from, c)))),
  ]);
  const closed = data.ports.filter((p) => !p.open);
  return [
    t("report.ports.note"),
    "",
    table(head, rows),
    ...(closed.length
      ? [
          "",
          `### ${t("report.ports.errors")}`,
          "",
          ...closed.map((p) => `- ${m(closedPortText(locale, p))} (${m(formatTime(p.checkedAt, locale))})`),
        ]
      : []),
  ].join("\n");
}

function verification(data: ReportData, locale: Locale): string {
  const t = translator(locale, m);
  if (data.verification.length === 0) return t("report.verification.none");
  const steps = verificationByStep(data.verification).map((entries) => {
    const [first] = entries;
    return [
      `### ${m(first.stepKey)}: ${m(stepName(locale, { key: first.stepKey, title: first.stepTitle }))}`,
      "",
      `${t("report.verification.command")}:`,
      "",
      codeBlock(first.commands, "sh"),
      ...entries.flatMap((v) => [
        "",
        `#### ${m(v.hostName)}: ${status(locale, v.status)}`,
        "",
        `*${m(verificationSource(locale, v))}*`,
        ...(v.compute ? ["", computeFindings(v.compute, locale)] : []),
        ...(v.source.kind === "none" ? [] : ["", codeBlock(v.lines.join("\n") || translate(locale, "report.verification.noOutput"))]),
      ]),
    ].join("\n");
  });
  return [t("report.verification.note"), ...vmCheck(data, locale), ...steps.flatMap((step) => ["", step])].join("\n");
}

/** The compute scope's VMs (one per compute) and network agents, as verify.vm and verify.network found them. */
function vmCheck(data: ReportData, locale: Locale): string[] {
  const check = data.vmCheck;
  if (!check) return [];
  const t = translator(locale, m);
  const rows = (cells: Cell[][]) => cells.map((row) => row.map((c) => m(c.text)));
  return [
    ...(check.vms
      ? ["", `### ${t("report.vms.title")}`, "", t("report.vms.note"), "", table(VM_COLUMNS.map((key) => t(key)), rows(vmRows(locale, check.vms))), ...vmNotes(locale, check.vms).flatMap((note, i) => [...(i === 0 ? [""] : []), `- ${m(note)}`])]
      : []),
    ...(check.agents ? ["", `### ${t("report.agents.title")}`, "", table(AGENT_COLUMNS.map((key) => t(key)), rows(agentRows(locale, check.agents)))] : []),
  ];
}

/** verify.compute's findings: a row per compute, then the controller's services and nova-status. */
function computeFindings(findings: ComputeVerification, locale: Locale): string {
  const t = translator(locale, m);
  return [
    `**${t("report.verification.compute.title")}**`,
    "",
    table(
      COMPUTE_FINDINGS_COLUMNS.map((key) => t(key)),
      computeFindingsRows(locale, findings).map((row) => row.map(m)),
    ),
    "",
    ...computeFindingsNotes(locale, findings).map((note) => `- ${m(note)}`),
  ].join("\n");
}

function failures(data: ReportData, locale: Locale): string {
  const t = translator(locale, m);
  if (data.failures.length === 0) return t("report.failures.none");
  return data.failures
    .map((f) => {
      const title = failureTitle(locale, f);
      const hint = failureHint(locale, f);
      return [
        `### ${m(title)}`,
        "",
        m(stepName(locale, { key: f.stepKey, title: f.stepTitle })),
        ...(f.error ? ["", `**${t("report.col.error")}:** ${m(messageText(locale, data, f.error))}`] : []),
        ...(hint ? ["", `> **${t("report.failures.hint")}:** ${m(hint)}`] : []),
        "",
        `**${t("report.failures.logTail")}**`,
        "",
        codeBlock(f.logTail.join("\n") || translate(locale, "report.failures.noLog")),
        ...(f.sections.length ? ["", `**${t("report.failures.hostSays")}**`] : []),
        ...f.sections.flatMap((s) => ["", `${m(triageSectionTitle(locale, s))}: ${m(s.command)}`, "", codeBlock(s.output)]),
      ].join("\n");
    })
    .join("\n\n");
}

function openrc(data: ReportData, locale: Locale): string {
  const o = data.openrc;
  if (!o) return m(translate(locale, "report.openrc.absent"));
  return [
    m(translate(locale, "report.openrc.note", { path: o.path, host: o.hostName })),
    ...(o.stepStatus ? ["", m(translate(locale, "report.openrc.status", { status: statusLabel(locale, o.stepStatus) }))] : []),
    "",
    codeBlock(o.text, "sh"),
  ].join("\n");
}

function commands(data: ReportData, locale: Locale): string {
  return [
    m(commandsNote(locale, data)),
    ...data.commands.flatMap((c) => ["", `### ${m(c.hostName)} (${m(roleLabel(locale, c.role))}): ${m(commandsFile(locale, c))}`, "", codeBlock(c.script, "bash")]),
  ].join("\n");
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

/** The report as Markdown (GitHub-flavoured tables); each section has an anchor with its id. */
export function renderMarkdown(data: ReportData, locale: Locale): string {
  const t = translator(locale, m);
  return [
    `# ${t("report.title")}`,
    "",
    `${t("report.subtitle", { plan: data.plan.name, run: data.run.id })}: ${status(locale, data.run.status)}`,
    "",
    t("report.generatedAt", { time: formatTime(data.generatedAt, locale) }),
    "",
    `*${t("report.maskNote", { mask: REPORT_MASK })}*`,
    "",
    `## ${t("report.toc")}`,
    "",
    ...REPORT_SECTIONS.map((id, i) => `${i + 1}. [${m(sectionTitle(locale, id))}](#${id})`),
    ...REPORT_SECTIONS.flatMap((id) => ["", `<a id="${id}"></a>`, "", `## ${m(sectionTitle(locale, id))}`, "", RENDER[id](data, locale)]),
    "",
  ].join("\n");
}
