import type { Locale } from "../i18n/locale";
import type { PlanSnapshot } from "../plan/planDiff";
import { planSettingsSchema } from "../plan/planView";
import { allSteps, buildPlaybook, hostsForStep } from "../playbook/buildPlaybook";
import { playbookInputFromPlan } from "../playbook/playbookInput";
import type { PlaybookScope } from "../playbook/scope";
import { serviceSecretsFor } from "../playbook/serviceSecrets";
import type { PortCheckView, RunView, StepRunView } from "../runs/runView";
import type { StepStatus } from "../runs/status";
import { earlierVerifyKey, type ReportSource } from "./reportData";

/** A Fernet token as `openstack token issue` prints it (made up). */
export const SAMPLE_TOKEN = "gAAAAABnQ2x0eXBlLXRva2VuLWZvci1hLXJlcG9ydC10ZXN0LW9ubHk4NzY1NDMyMQ";

/** A table as the openstack client draws it: a rule, the header, a rule, the rows, a rule. */
export function cliTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [rule, line(rows[0]), rule, ...rows.slice(1).map(line), rule];
}

/** nova-status upgrade check's table: a group of Check, Result and Details rows per check. */
export function novaStatusTable(checks: [string, string][]): string[] {
  const rule = `+${"-".repeat(44)}+`;
  const line = (text: string) => `| ${text.padEnd(42)} |`;
  return [rule, line("Upgrade Check Results"), rule, ...checks.flatMap(([check, result]) => [line(`Check: ${check}`), line(`Result: ${result}`), line("Details: None"), rule])];
}

/** What verify.compute prints on the controller ct when the computes are all there. */
export function sampleComputeVerifyOutput(computes: string[]): string[] {
  const updated = "2026-11-27T22:10:31.000000";
  return [
    ...cliTable([
      ["ID", "Binary", "Host", "Zone", "Status", "State", "Updated At"],
      ["3f0c7a2e-8a59-4a3c-9b57-1c2d3e4f5a61", "nova-scheduler", "ct", "internal", "enabled", "up", updated],
      ["6b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "nova-conductor", "ct", "internal", "enabled", "up", updated],
      ...computes.map((h, i) => [`9c8b7a6f-5e4d-4c3b-8a29-18f7e6d5c4b${i}`, "nova-compute", h, "nova", "enabled", "up", updated]),
    ]),
    ...cliTable([["ID", "Hypervisor Hostname", "Hypervisor Type", "Host IP", "State"], ...computes.map((h, i) => [`a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5${i}`, h, "QEMU", `192.168.100.${120 + i * 10}`, "up"])]),
    ...cliTable([["uuid", "name", "generation", "root_provider_uuid", "parent_provider_uuid"], ...computes.map((h, i) => [`d4c3b2a1-f6e5-4b7a-9d8c-5c4b3a2f1e0${i}`, h, "2", `d4c3b2a1-f6e5-4b7a-9d8c-5c4b3a2f1e0${i}`, "None"])]),
    ...novaStatusTable([
      ["Cells v2", "Success"],
      ["Placement API", "Success"],
      ["Cinder API", "Success"],
      ["Policy Scope-based Defaults", "Success"],
      ["Policy File JSON to YAML Migration", "Success"],
      ["Older than N-1 computes", "Success"],
      ["hw_machine_type unset", "Success"],
    ]),
  ];
}

/** `openstack network agent list` with every agent alive: the Linux bridge agent on every host, the L3, DHCP and metadata agents on the controller ct. */
export function sampleNetworkAgentList(hosts: string[], dead: { type: string; host: string }[] = []): string[] {
  const agents = [
    ["Metadata agent", "ct", "neutron-metadata-agent"],
    ["L3 agent", "ct", "neutron-l3-agent"],
    ["DHCP agent", "ct", "neutron-dhcp-agent"],
    ...hosts.map((h) => ["Linux bridge agent", h, "neutron-linuxbridge-agent"]),
  ];
  return cliTable([
    ["ID", "Agent Type", "Host", "Availability Zone", "Alive", "State", "Binary"],
    ...agents.map(([type, host, binary], i) => [`5e0f6a7b-8c9d-4e1f-a2b3-c4d5e6f7a8b${i}`, type, host, type.startsWith("Linux") || type === "Metadata agent" ? "None" : "nova", dead.some((d) => d.type === type && d.host === host) ? "XXX" : ":-)", "UP", binary]),
  ]);
}

/** What verify.vm prints when the VM on each compute booted, answered and was deleted. */
export function sampleVmCheckOutput(computes: string[]): string[] {
  return [
    ...computes.map((h, i) => `SP_VM host=${h} server=sp-verify-${h} image=stackpilot-guest status=ACTIVE active_seconds=${18 + i * 5} fixed_ip=172.16.1.${50 + i} floating_ip=192.168.158.${210 + i} ping=ok ssh=ok console=booted`),
    ...computes.map((h) => `SP_VM_DELETED host=${h} server=sp-verify-${h}`),
  ];
}

/**
 * The source with this step run on the controller ct changed (or added at the end: verify.network
 * and verify.vm, until the playbook has them).
 */
export function withStepRun(source: ReportSource, stepKey: string, change: Partial<StepRunView>): ReportSource {
  const stepRuns = [...source.run.stepRuns];
  const at = stepRuns.findIndex((s) => s.stepKey === stepKey);
  const last = stepRuns[stepRuns.length - 1];
  const base: StepRunView = at >= 0 ? stepRuns[at] : { ...last, id: `sr-${stepRuns.length + 1}`, stepKey, hostId: "h-ct", hostName: "ct", position: stepRuns.length };
  const changed = { ...base, ...change };
  if (at >= 0) stepRuns[at] = changed;
  else stepRuns.push(changed);
  return { ...source, run: { ...source.run, stepRuns } };
}

/** The source with verify.network and verify.vm done on ct, printing what they print when all is well (or these lines). */
export function withVmChecks(source: ReportSource, lines: { network?: string[]; vm?: string[] } = {}): ReportSource {
  const computes = source.snapshot.hosts.filter((h) => h.role === "compute").map((h) => h.name);
  const network = withStepRun(source, "verify.network", { status: "succeeded", result: { verifyOutput: lines.network ?? sampleVerifyOutput("verify.network", "ct", computes) } });
  return withStepRun(network, "verify.vm", { status: "succeeded", result: { verifyOutput: lines.vm ?? sampleVerifyOutput("verify.vm", "ct", computes) } });
}

/** What verify prints for the steps the report calls out (token issue, role list, endpoints, images). */
export function sampleVerifyOutput(stepKey: string, hostName: string, computes: string[] = ["c1", "c2"]): string[] {
  const table = cliTable;
  const token = table([
    ["Field", "Value"],
    ["expires", "2026-11-28T00:45:24+0000"],
    ["id", SAMPLE_TOKEN],
    ["project_id", "8f3b1c9d2e4a4b5c9d7e6f5a4b3c2d1e"],
    ["user_id", "1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6"],
  ]);
  switch (stepKey) {
    case "keystone.bootstrap":
      return token;
    case "keystone.service-project":
      return [...token, ...table([["ID", "Name"], ["0d2a7b8c9e1f4a3b8c7d6e5f4a3b2c1d", "reader"], ["5f4e3d2c1b0a49887766554433221100", "admin"], ["9a8b7c6d5e4f40312233445566778899", "member"], ["c3d4e5f6a7b84c9dae0f1a2b3c4d5e6f", "user"]])];
    case "glance.identity":
      return table([
        ["ID", "Region", "Service Name", "Service Type", "Enabled", "Interface", "URL"],
        ["340be3625e9b4239a6415d034e98aace", "RegionOne", "glance", "image", "True", "public", "http://ct:9292"],
        ["a6e4b153c2ae4c919eccfdbb7dceb5d2", "RegionOne", "glance", "image", "True", "internal", "http://ct:9292"],
        ["0c37ed58103f4300a84ff125a539032d", "RegionOne", "glance", "image", "True", "admin", "http://ct:9292"],
      ]);
    case "glance.image":
      return table([["ID", "Name", "Status"], ["38047887-61a7-41ea-9b49-27987d5e8bb9", "cirros", "active"]]);
    case "verify.openstack":
      return [
        ...token.filter((line) => !line.includes(SAMPLE_TOKEN)),
        ...sampleVerifyOutput("keystone.service-project", hostName).slice(token.length),
        ...sampleVerifyOutput("glance.identity", hostName),
        ...sampleVerifyOutput("glance.image", hostName),
      ];
    case "verify.compute":
      return sampleComputeVerifyOutput(computes);
    case "verify.network":
      return sampleNetworkAgentList(["ct", ...computes]);
    case "verify.vm":
      return sampleVmCheckOutput(computes);
    case "base.openstack-client":
      return ["openstack 6.0.0"];
    case "ssh-trust.verify":
      return ["ct: ct", "c1: c1", "c2: c2"];
    case "chrony.controller":
    case "chrony.computes":
      return ["MS Name/IP address         Stratum Poll Reach LastRx Last sample", "===============================================================================", `^* ${hostName === "ct" ? "ntp6.aliyun.com" : "ct"}  2   6   377    35   +120us[ +180us] +/-   15ms`];
    default:
      return [];
  }
}

export type SampleOptions = {
  locale?: Locale;
  /** Computes besides the controller ct (c1, c2…). */
  computes?: number;
  /** A name for the first compute (to test escaping). */
  firstComputeName?: string;
  /** One more line in the failed step's log tail. */
  extraLogLine?: string;
  /** The step that fails (on its first host), on its second attempt; later steps stay pending. */
  failAt?: string | null;
  /** Steps found already done (skipped), with what an earlier run's verify printed. */
  skipped?: string[];
  /** The plan's scope (the tutorial by default); null: a snapshot from before scopes, without one. */
  scope?: PlaybookScope | null;
};

/** A deployment on Debian 12 (the tutorial unless `scope` says): steps done, one skipped with an earlier verify, one failed with its triage. */
export function sampleReportSource(options: SampleOptions = {}): ReportSource {
  const computes = options.computes ?? 2;
  const failAt = options.failAt === undefined ? "glance.image" : options.failAt;
  const skipped = new Set(options.skipped ?? ["keystone.service-project", "chrony.cron"]);
  const hosts = [
    { id: "h-ct", name: "ct", role: "controller" as const, last: 110 },
    ...Array.from({ length: computes }, (_, i) => ({ id: `h-c${i + 1}`, name: i === 0 && options.firstComputeName ? options.firstComputeName : `c${i + 1}`, role: "compute" as const, last: 120 + i * 10 })),
  ];
  const snapshot: PlanSnapshot = {
    id: "plan-1",
    name: "OpenStack tutorial (ct, c1, c2)",
    profile: "debian12-zed",
    settings: planSettingsSchema.parse({ managementCidr: "192.168.100.0/24", ...(options.scope ? { scope: options.scope } : {}) }),
    sharedSecrets: { passwordSet: true, privateKeySet: false },
    serviceSecrets: Object.fromEntries(serviceSecretsFor(options.scope ?? "tutorial").map((name) => [name, true])) as PlanSnapshot["serviceSecrets"],
    hosts: hosts.map((h) => ({
      id: h.id,
      name: h.name,
      role: h.role,
      managementIp: `192.168.100.${h.last}`,
      natIp: `192.168.158.${h.last}`,
      sshPort: 22,
      sshUser: "root",
      authMethod: "password",
      passwordSet: false,
      privateKeySet: false,
    })),
    secretsSetAt: { "service.ADMIN_PASS": "2026-11-27T20:00:00.000Z", "ssh.shared.password": "2026-11-27T19:58:00.000Z" },
  };
  // A run's snapshot from before scopes has none.
  if (options.scope === null) delete (snapshot.settings as Partial<PlanSnapshot["settings"]>).scope;
  const input = playbookInputFromPlan(snapshot);
  const playbook = buildPlaybook(input);
  const computeNames = hosts.filter((h) => h.role === "compute").map((h) => h.name);
  const start = Date.parse("2026-11-27T21:00:00.000Z");
  let clock = start;
  let failed = false;
  const stepRuns: StepRunView[] = [];
  const earlierVerify: ReportSource["earlierVerify"] = {};
  for (const { step } of allSteps(playbook)) {
    for (const host of hostsForStep(step, input.hosts)) {
      const id = `sr-${stepRuns.length + 1}`;
      const base = { id, runId: "run-2", stepKey: step.key, hostId: host.id, hostName: host.name, position: stepRuns.length, version: 3 };
      if (failed) {
        stepRuns.push({ ...base, status: "pending", attempt: 0, exitCode: null, error: null, result: null, startedAt: null, finishedAt: null });
        continue;
      }
      const startedAt = new Date(clock).toISOString();
      clock += step.key.endsWith(".install") || step.key.endsWith(".packages") ? 95_000 : 3_500;
      const finishedAt = new Date(clock).toISOString();
      let status: StepStatus = "succeeded";
      let result: unknown = step.verify ? { verifyOutput: sampleVerifyOutput(step.key, host.name, computeNames) } : null;
      let error: string | null = null;
      let attempt = 1;
      if (skipped.has(step.key)) {
        status = "skipped";
        result = null;
        if (step.verify) earlierVerify[earlierVerifyKey(step.key, host.id)] = { runId: "run-1", at: "2026-11-26T18:30:00.000Z", lines: sampleVerifyOutput(step.key, host.name, computeNames) };
      } else if (step.key === failAt) {
        failed = true;
        status = "failed";
        attempt = 2;
        error = `${step.title} failed on ${host.name} (exit code 1): Failed to start glance-api.service: Unit glance-api.service not found.`;
        result = {
          triage: {
            hint: "The service glance-api did not start: its status and journal say why (`systemctl status glance-api`, `journalctl -u glance-api`); fix that, then run the step again.",
            diagnosis: { id: "service-failed", params: { unit: "glance-api" } },
            lastLines: ["[stackpilot] glance.image: Upload the image cirros", "Failed to start glance-api.service: Unit glance-api.service not found.", ...(options.extraLogLine ? [options.extraLogLine] : [])],
            sections: [
              { title: "glance-api: status", command: "systemctl status glance-api --no-pager -l", output: "Unit glance-api.service could not be found.", probe: { kind: "status", unit: "glance-api" } },
              { title: "Listening TCP ports", command: "ss -ltnp", probe: { kind: "ports" }, output: "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nLISTEN 0      128    0.0.0.0:5000      0.0.0.0:*     users:((\"uwsgi\",pid=812,fd=4))" },
            ],
          },
        };
      }
      stepRuns.push({ ...base, status, attempt, exitCode: status === "succeeded" ? 0 : status === "failed" ? 1 : null, error, result, startedAt, finishedAt });
    }
  }
  const portChecks: PortCheckView[] = [];
  let checkClock = start + 60_000;
  for (const { step } of allSteps(playbook)) {
    for (const port of step.ports ?? []) {
      for (const from of ["wizard", ...hosts.filter((h) => h.role === "compute").map((h) => h.name)]) {
        const closed = port.port === 15672 && from !== "wizard";
        const checkedAt = new Date((checkClock += 1000)).toISOString();
        if (closed) portChecks.push({ fromHost: from, toHost: "ct", port: port.port, open: false, error: "connection refused", checkedAt: new Date(checkClock - 500).toISOString() });
        portChecks.push({ fromHost: from, toHost: "ct", port: port.port, open: !closed, error: closed ? "timed out after 30 s" : null, checkedAt });
      }
    }
  }
  const run: RunView = {
    id: "run-2",
    planId: "plan-1",
    kind: "deploy",
    status: failAt ? "failed" : "succeeded",
    error: failAt ? "A step failed: see Failures." : null,
    createdAt: new Date(start - 1000).toISOString(),
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(clock).toISOString(),
    version: 9,
    stepRuns,
  };
  return { run, snapshot, portChecks, earlierVerify, generatedAt: "2026-11-27T23:00:00.000Z", locale: options.locale ?? "en" };
}
