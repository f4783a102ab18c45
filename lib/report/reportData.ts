import type { Locale } from "../i18n/locale";
import { translate } from "../i18n/translate";
import type { PlanSnapshot } from "../plan/planDiff";
import type { HostRole } from "../plan/planView";
import { PROFILE_LABELS, type ProfileName } from "../plan/profiles";
import { buildPlaybook } from "../playbook/buildPlaybook";
import { playbookInputFromPlan, type PlaybookInput } from "../playbook/playbookInput";
import { renderHostScript, secretsForHost } from "../playbook/renderScript";
import { serviceSecretsFor } from "../playbook/serviceSecrets";
import type { PlaybookScope } from "../playbook/scope";
import type { Playbook, Step } from "../playbook/types";
import type { PortCheckView, RunView, StepRunView } from "../runs/runView";
import { isStepDone, type RunStatus, type StepStatus } from "../runs/status";
import type { Hint, Triage } from "../runs/triage";
import { networkOptionsOf } from "../playbook/networkOptions";
import { planServices, topologyNetworks, topologySvg, type TopologyNetworks } from "../topology/topologySvg";
import { COMPUTE_VERIFY_STEP, readComputeVerification, type ComputeVerification } from "./computeVerification";
import { ADMIN_OPENRC, adminOpenrcText } from "./openrc";
import { NETWORK_VERIFY_STEP, readNetworkAgents, readVmResults, VM_VERIFY_STEP, type NetworkAgent, type VmResult } from "./vmVerification";

/**
 * The install report as plain JSON: what the HTML and Markdown renderers show, and what the JSON
 * export is. Built by a pure function from what the database holds (server/report/loadReport.ts
 * gathers it). Secret values are never part of it: the plan snapshot only knows whether each
 * secret is set, the scripts read secrets from environment variables, the admin-openrc carries a
 * mask, and the server masks the plan's secret values in every text once more.
 */
export type ReportData = {
  kind: "stackpilot-install-report";
  version: 1;
  /** The language the topology picture's labels were drawn in. */
  locale: Locale;
  generatedAt: string;
  run: ReportRun;
  plan: ReportPlan;
  topology: ReportTopology;
  phases: ReportPhase[];
  /** The latest check per from/to/port, in the order they were first checked. */
  ports: ReportPortCheck[];
  verification: ReportVerification[];
  /** What the compute scope's last checks found of the VMs and the network agents; null when they printed nothing. */
  vmCheck: ReportVmCheck | null;
  failures: ReportFailure[];
  openrc: ReportOpenrc | null;
  commands: ReportHostCommands[];
};

export type ReportRun = {
  id: string;
  planId: string;
  status: RunStatus;
  createdAt: string;
  /** The first start of this deployment (a resume sets the run's own start again). */
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  stepRunCount: number;
  /** Attempts over all step runs (a retried step counts each time). */
  attempts: number;
  statusCounts: Partial<Record<StepStatus, number>>;
};

export type ReportHost = {
  id: string;
  name: string;
  role: HostRole;
  managementIp: string;
  natIp: string;
  sshUser: string;
  sshPort: number;
  authMethod: "password" | "key";
  /** Whether the login secret this host uses is set (never the secret). */
  credentialSet: boolean;
};

export type ReportSecret =
  | { kind: "service"; name: string; set: boolean; setAt: string | null }
  | { kind: "ssh"; credential: "password" | "privateKey"; host: string | null; set: boolean; setAt: string | null };

export type ReportPlan = {
  id: string;
  name: string;
  profile: ProfileName;
  profileLabel: string;
  /** How much of the install guide the plan deploys (a snapshot from before scopes: the tutorial). */
  scope: PlaybookScope;
  hosts: ReportHost[];
  /** The plan's other options (the scope is above). */
  settings: { key: string; value: string }[];
  secrets: ReportSecret[];
};

export type TopologyHost = { name: string; role: HostRole; managementIp: string; natIp: string };

export type ReportTopology = {
  hosts: TopologyHost[];
  /** Per host name, the services the plan's scope puts there (lib/topology's planServices, as the dashboard shows them). */
  services: Record<string, string[]>;
  /** The compute scope's Neutron networks (provider CIDR and floating IPs, self-service CIDR); absent in the tutorial's. */
  networks?: TopologyNetworks;
  /** The picture (SVG markup), labels in the report's language. */
  svg: string;
};

export type ReportStepRun = {
  id: string;
  hostId: string;
  hostName: string;
  status: StepStatus;
  attempt: number;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  /** Only for a step run that failed (an earlier attempt's triage is not kept). */
  triage: Triage | null;
  /** What verify printed, when it ran in this deployment. */
  verifyOutput: string[] | null;
};

export type ReportStep = { key: string; title: string; hasVerify: boolean; stepRuns: ReportStepRun[] };

export type ReportPhase = {
  key: string;
  title: string;
  status: StepStatus;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  steps: ReportStep[];
};

export type ReportPortCheck = PortCheckView & { label: string | null };

export type VerificationSource =
  | { kind: "this-run"; runId: string; at: string | null }
  | { kind: "earlier-run"; runId: string; at: string | null }
  | { kind: "none" };

export type ReportVerification = {
  stepKey: string;
  stepTitle: string;
  hostName: string;
  /** The verify script's body: the commands that printed `lines`. */
  commands: string;
  status: StepStatus;
  source: VerificationSource;
  lines: string[];
  /** For verify.compute with output: what it found per compute and for nova-status (read from `lines`). */
  compute?: ComputeVerification;
};

export type ReportVmCheck = {
  /** verify.vm's test VM per compute; null when it reported none. */
  vms: VmResult[] | null;
  /** verify.network's agent list; null when it printed none. */
  agents: NetworkAgent[] | null;
};

export type ReportFailure = {
  stepRunId: string;
  stepKey: string;
  stepTitle: string;
  hostName: string;
  status: StepStatus;
  attempt: number;
  error: string | null;
  /** The triage's hint in English, as stored. */
  hint: string | null;
  /** The same hint as an id and values, to say it in the reader's language (absent in older triages). */
  diagnosis: Hint | null;
  logTail: string[];
  sections: Triage["sections"];
};

export type ReportOpenrc = { path: string; hostName: string; text: string; stepStatus: StepStatus | null };

export type ReportHostCommands = { hostName: string; role: HostRole; fileName: string; secrets: string[]; script: string };

/** What verify printed in an earlier deployment of the same plan, for a step this one skipped. */
export type EarlierVerify = { runId: string; at: string | null; lines: string[] };

export type ReportSource = {
  run: RunView;
  /** The plan as the run ran it (Run.planSnapshot). */
  snapshot: PlanSnapshot;
  portChecks: PortCheckView[];
  /** The last log lines of failed step runs that hold no triage, by step run id. */
  logTails?: Record<string, string[]>;
  /** By earlierVerifyKey(stepKey, hostId). */
  earlierVerify?: Record<string, EarlierVerify>;
  generatedAt: string;
  locale: Locale;
  /** The playbook the run ran; the OpenStack playbook unless a test gives its own. */
  playbookFor?: (input: PlaybookInput) => Playbook;
};

/** Shown wherever a secret value or a token would be. */
export const REPORT_MASK = "••••••";

/** Statuses a step run shows a failure in. */
export const FAILURE_STATUSES: readonly StepStatus[] = ["failed", "interrupted", "cancelled"];

const LOG_TAIL_LINES = 50;

export function earlierVerifyKey(stepKey: string, hostId: string): string {
  return `${stepKey}@${hostId}`;
}

/** Keystone's Fernet tokens (what `openstack token issue` prints as id) are bearer credentials. */
export function maskTokens(text: string): string {
  return text.replace(/\bgAAAAA[A-Za-z0-9_=-]{20,}/g, REPORT_MASK);
}

function durationBetween(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

function earliest(times: (string | null)[]): string | null {
  const valid = times.filter((t): t is string => !!t).sort();
  return valid[0] ?? null;
}

function latest(times: (string | null)[]): string | null {
  const valid = times.filter((t): t is string => !!t).sort();
  return valid[valid.length - 1] ?? null;
}

/** One status for a group of step runs: the worst that happened, else how far it got. */
export function groupStatus(statuses: StepStatus[]): StepStatus {
  for (const s of ["failed", "interrupted", "cancelled", "running"] as const) if (statuses.includes(s)) return s;
  if (statuses.length === 0 || statuses.every((s) => s === "pending")) return "pending";
  if (statuses.every((s) => s === "skipped")) return "skipped";
  if (statuses.every((s) => isStepDone(s))) return statuses.includes("manual") ? "manual" : "succeeded";
  // Some done, some not started: the run stopped before this group finished.
  return "pending";
}

function verifyOutputOf(result: unknown): string[] | null {
  const lines = (result as { verifyOutput?: unknown } | null)?.verifyOutput;
  return Array.isArray(lines) ? lines.map(String) : null;
}

function triageOf(result: unknown): Triage | null {
  const triage = (result as { triage?: Triage } | null)?.triage;
  return triage && typeof triage === "object" ? triage : null;
}

function reportStepRun(stepRun: StepRunView): ReportStepRun {
  const verify = verifyOutputOf(stepRun.result);
  return {
    id: stepRun.id,
    hostId: stepRun.hostId,
    hostName: stepRun.hostName,
    status: stepRun.status,
    attempt: stepRun.attempt,
    exitCode: stepRun.exitCode,
    startedAt: stepRun.startedAt,
    finishedAt: stepRun.finishedAt,
    durationMs: durationBetween(stepRun.startedAt, stepRun.finishedAt),
    error: stepRun.error,
    triage: stepRun.status === "failed" ? triageOf(stepRun.result) : null,
    verifyOutput: verify ? verify.map(maskTokens) : null,
  };
}

/** A step script's commands without the wrapper every script gets (`{ … } </dev/null`, lib/playbook/phaseContext.ts). */
export function scriptCommands(body: string): string {
  return /^\{\n([\s\S]*)\n\} <\/dev\/null$/.exec(body)?.[1] ?? body;
}

/** Consecutive entries of the same step, as the report shows them: the commands once, then each host's output. */
export function verificationByStep(entries: ReportVerification[]): ReportVerification[][] {
  const groups: ReportVerification[][] = [];
  for (const entry of entries) {
    const last = groups[groups.length - 1];
    if (last && last[0].stepKey === entry.stepKey) last.push(entry);
    else groups.push([entry]);
  }
  return groups;
}

export function topologyLabels(locale: Locale) {
  return {
    controller: translate(locale, "report.topology.controller"),
    compute: translate(locale, "report.topology.compute"),
    management: translate(locale, "report.topology.management"),
    provider: translate(locale, "report.topology.provider"),
    selfService: translate(locale, "report.topology.selfService"),
    floatingIps: translate(locale, "report.topology.floatingIps"),
    tunnelled: translate(locale, "report.topology.tunnelled"),
  };
}

function planSecrets(snapshot: PlanSnapshot, scope: PlaybookScope): ReportSecret[] {
  const setAt = snapshot.secretsSetAt ?? {};
  const secrets: ReportSecret[] = serviceSecretsFor(scope).map((name) => ({
    kind: "service",
    name,
    set: !!snapshot.serviceSecrets?.[name],
    setAt: setAt[`service.${name}`] ?? null,
  }));
  const credential = (method: "password" | "key") => (method === "key" ? "privateKey" : "password");
  if (snapshot.settings.credentialMode === "shared") {
    const kind = credential(snapshot.settings.sharedAuthMethod);
    secrets.push({
      kind: "ssh",
      credential: kind,
      host: null,
      set: kind === "password" ? snapshot.sharedSecrets.passwordSet : snapshot.sharedSecrets.privateKeySet,
      setAt: setAt[`ssh.shared.${kind}`] ?? null,
    });
  } else {
    for (const host of snapshot.hosts) {
      const kind = credential(host.authMethod);
      secrets.push({
        kind: "ssh",
        credential: kind,
        host: host.name,
        set: kind === "password" ? host.passwordSet : host.privateKeySet,
        setAt: setAt[`ssh.host.${host.id}.${kind}`] ?? null,
      });
    }
  }
  return secrets;
}

function planHosts(snapshot: PlanSnapshot): ReportHost[] {
  const shared = snapshot.settings.credentialMode === "shared";
  return snapshot.hosts.map((h) => {
    const authMethod = shared ? snapshot.settings.sharedAuthMethod : h.authMethod;
    const flags = shared ? snapshot.sharedSecrets : h;
    return {
      id: h.id,
      name: h.name,
      role: h.role,
      managementIp: h.managementIp,
      natIp: h.natIp,
      sshUser: shared ? snapshot.settings.sharedSshUser : h.sshUser,
      sshPort: h.sshPort,
      authMethod,
      credentialSet: authMethod === "key" ? flags.privateKeySet : flags.passwordSet,
    };
  });
}

/** The report of one deployment. Pure: the same source gives the same report. */
export function buildReportData(source: ReportSource): ReportData {
  const { run, snapshot, locale } = source;
  const input = playbookInputFromPlan(snapshot);
  const playbook = (source.playbookFor ?? buildPlaybook)(input);
  const stepRuns = run.stepRuns.map(reportStepRun);
  const byStep = new Map<string, ReportStepRun[]>();
  run.stepRuns.forEach((s, i) => byStep.set(s.stepKey, [...(byStep.get(s.stepKey) ?? []), stepRuns[i]]));

  // Phases in the playbook's order; step runs of steps the playbook no longer has go last.
  const known = new Set<string>();
  const phaseOf = (key: string, title: string, steps: { key: string; title: string; hasVerify: boolean }[]): ReportPhase => {
    const reportSteps = steps.map((s) => ({ ...s, stepRuns: byStep.get(s.key) ?? [] }));
    const runs = reportSteps.flatMap((s) => s.stepRuns);
    const startedAt = earliest(runs.map((r) => r.startedAt));
    const finishedAt = runs.some((r) => r.status === "running") ? null : latest(runs.map((r) => r.finishedAt));
    return { key, title, status: groupStatus(runs.map((r) => r.status)), startedAt, finishedAt, durationMs: durationBetween(startedAt, finishedAt), steps: reportSteps };
  };
  const phases = playbook.phases.map((phase) => {
    phase.steps.forEach((s) => known.add(s.key));
    return phaseOf(
      phase.key,
      phase.title,
      phase.steps.map((s) => ({ key: s.key, title: s.title, hasVerify: !!s.verify })),
    );
  });
  const unknownKeys = [...new Set(run.stepRuns.map((s) => s.stepKey))].filter((key) => !known.has(key));
  if (unknownKeys.length > 0) phases.push(phaseOf("other", translate(locale, "report.phases.other"), unknownKeys.map((key) => ({ key, title: key, hasVerify: false }))));

  const steps = new Map<string, Step>(playbook.phases.flatMap((p) => p.steps.map((s) => [s.key, s] as const)));
  const titleOf = (key: string) => steps.get(key)?.title ?? key;

  // Ports: the latest check per from/to/port, labelled with the service the playbook names.
  const labels = new Map<number, string>();
  for (const step of steps.values()) for (const p of step.ports ?? []) if (!labels.has(p.port)) labels.set(p.port, p.label);
  const ports = new Map<string, ReportPortCheck>();
  for (const check of source.portChecks) {
    const key = `${check.fromHost}\u0000${check.toHost}\u0000${check.port}`;
    const previous = ports.get(key);
    if (!previous || check.checkedAt >= previous.checkedAt) ports.set(key, { ...check, label: labels.get(check.port) ?? null });
  }

  // Verification: every step with a verify, per host it ran on.
  const controller = input.hosts.find((h) => h.role === "controller");
  const computeNames = input.hosts.filter((h) => h.role === "compute").map((h) => h.name);
  const findings = (key: string, lines: string[]) => (key === COMPUTE_VERIFY_STEP && controller && lines.length > 0 ? readComputeVerification(lines, controller.name, computeNames) : null);
  const withFindings = (entry: ReportVerification): ReportVerification => {
    const compute = findings(entry.stepKey, entry.lines);
    return compute ? { ...entry, compute } : entry;
  };
  const verification: ReportVerification[] = [];
  for (const phase of playbook.phases) {
    for (const step of phase.steps) {
      const verify = step.verify;
      if (!verify) continue;
      run.stepRuns.forEach((stepRun, i) => {
        if (stepRun.stepKey !== step.key) return;
        const mine = stepRuns[i];
        const earlier = isStepDone(stepRun.status) ? source.earlierVerify?.[earlierVerifyKey(step.key, stepRun.hostId)] : undefined;
        const base = { stepKey: step.key, stepTitle: step.title, hostName: stepRun.hostName, commands: scriptCommands(verify.body), status: stepRun.status };
        if (mine.verifyOutput) verification.push(withFindings({ ...base, source: { kind: "this-run", runId: run.id, at: stepRun.finishedAt }, lines: mine.verifyOutput }));
        else if (earlier) verification.push(withFindings({ ...base, source: { kind: "earlier-run", runId: earlier.runId, at: earlier.at }, lines: earlier.lines.map(maskTokens) }));
        else verification.push({ ...base, source: { kind: "none" }, lines: [] });
      });
    }
  }

  // The VM and network checks: what their verify printed, or, for a step that failed, its last log lines.
  const checkLines = (key: string): string[] => {
    const stepRun = run.stepRuns.find((s) => s.stepKey === key);
    if (!stepRun) return [];
    const lines =
      verifyOutputOf(stepRun.result) ??
      (isStepDone(stepRun.status) ? source.earlierVerify?.[earlierVerifyKey(key, stepRun.hostId)]?.lines : undefined) ??
      (triageOf(stepRun.result)?.lastLines?.length ? triageOf(stepRun.result)!.lastLines : source.logTails?.[stepRun.id]) ??
      [];
    return lines.map(maskTokens);
  };
  const vms = input.scope === "compute" ? readVmResults(checkLines(VM_VERIFY_STEP)) : null;
  const agents = input.scope === "compute" ? readNetworkAgents(checkLines(NETWORK_VERIFY_STEP)) : null;

  const failures: ReportFailure[] = run.stepRuns
    .filter((s) => FAILURE_STATUSES.includes(s.status))
    .map((s) => {
      const triage = s.status === "failed" ? triageOf(s.result) : null;
      const tail = triage?.lastLines?.length ? triage.lastLines : (source.logTails?.[s.id] ?? []);
      return {
        stepRunId: s.id,
        stepKey: s.stepKey,
        stepTitle: titleOf(s.stepKey),
        hostName: s.hostName,
        status: s.status,
        attempt: s.attempt,
        error: s.error,
        hint: triage?.hint ?? null,
        diagnosis: triage?.diagnosis ?? null,
        logTail: tail.slice(-LOG_TAIL_LINES).map(maskTokens),
        sections: (triage?.sections ?? []).map((section) => ({ ...section, output: maskTokens(section.output) })),
      };
    });

  const openrcStep = steps.get("keystone.openrc");
  const openrc: ReportOpenrc | null =
    openrcStep && controller
      ? {
          path: ADMIN_OPENRC,
          hostName: controller.name,
          text: adminOpenrcText(controller.name, REPORT_MASK),
          stepStatus: run.stepRuns.find((s) => s.stepKey === openrcStep.key)?.status ?? null,
        }
      : null;

  const commands: ReportHostCommands[] = controller
    ? input.hosts.map((host) => ({
        hostName: host.name,
        role: host.role,
        fileName: `${host.name}.sh`,
        secrets: secretsForHost(playbook, host),
        script: renderHostScript(playbook, host, input),
      }))
    : [];

  const topologyHosts: TopologyHost[] = input.hosts.map((h) => ({ name: h.name, role: h.role, managementIp: h.managementIp, natIp: h.natIp }));
  const services = planServices(input, {
    chronyClient: translate(locale, "report.topology.chronyClient"),
    novaMetadata: translate(locale, "report.topology.novaMetadata"),
    novncProxy: translate(locale, "report.topology.novncProxy"),
  });

  const networks = input.scope === "compute" ? topologyNetworks(networkOptionsOf(input)) : undefined;

  const statusCounts: Partial<Record<StepStatus, number>> = {};
  for (const s of stepRuns) statusCounts[s.status] = (statusCounts[s.status] ?? 0) + 1;
  const startedAt = earliest([run.startedAt, ...stepRuns.map((s) => s.startedAt)]);

  return {
    kind: "stackpilot-install-report",
    version: 1,
    locale,
    generatedAt: source.generatedAt,
    run: {
      id: run.id,
      planId: run.planId,
      status: run.status,
      createdAt: run.createdAt,
      startedAt,
      finishedAt: run.finishedAt,
      durationMs: durationBetween(startedAt, run.finishedAt),
      error: run.error,
      stepRunCount: stepRuns.length,
      attempts: stepRuns.reduce((sum, s) => sum + s.attempt, 0),
      statusCounts,
    },
    plan: {
      id: snapshot.id,
      name: snapshot.name,
      profile: snapshot.profile,
      profileLabel: PROFILE_LABELS[snapshot.profile] ?? snapshot.profile,
      scope: input.scope,
      hosts: planHosts(snapshot),
      settings: Object.entries(snapshot.settings)
        .filter(([key]) => key !== "scope")
        .map(([key, value]) => ({ key, value: String(value) })),
      secrets: planSecrets(snapshot, input.scope),
    },
    topology: { hosts: topologyHosts, services, ...(networks ? { networks } : {}), svg: topologySvg({ hosts: topologyHosts, services, networks }, topologyLabels(locale)) },
    phases,
    ports: [...ports.values()],
    verification,
    vmCheck: vms || agents ? { vms, agents } : null,
    failures,
    openrc,
    commands,
  };
}
