import { readTables, tableWith } from "./computeVerification";

/**
 * What the compute scope's last checks found, read back from what they printed: verify.network's
 * `openstack network agent list` (every Neutron agent, alive or not) and verify.vm's one line per
 * compute on the test VM booted there (SP_VM …), the instance's fault when it failed (SP_VM_FAULT …)
 * and its deletion (SP_VM_DELETED …). The report and the dashboard show these per VM and per agent;
 * triage reads them to say which VM or agent failed. Pure.
 */

export const NETWORK_VERIFY_STEP = "verify.network";
export const VM_VERIFY_STEP = "verify.vm";

/** How a check on the VM went: "ok", "failed", "skipped" (ping and SSH); "booted", "missing", "skipped" (console). */
export type VmCheck = string;

export type VmResult = {
  /** The compute the VM was asked to run on. */
  host: string;
  server: string;
  image: string;
  /** Nova's status for it: ACTIVE, ERROR, BUILD… */
  status: string;
  /** Seconds from create to ACTIVE; null when it never got there. */
  activeSeconds: number | null;
  fixedIp: string | null;
  floatingIp: string | null;
  ping: VmCheck;
  ssh: VmCheck;
  console: VmCheck;
  /** The instance's fault message, a line each, when it failed. */
  faults: string[];
  /** Whether the check deleted the VM afterwards. */
  deleted: boolean;
};

export type NetworkAgent = {
  /** "Linux bridge agent", "L3 agent", "DHCP agent", "Metadata agent". */
  type: string;
  host: string;
  alive: boolean;
  /** "UP" or "DOWN" (administratively). */
  state: string;
  /** The agent's program, also its systemd unit: neutron-linuxbridge-agent… */
  binary: string;
};

const VM_FIELDS = ["host", "server", "image", "status", "active_seconds", "fixed_ip", "floating_ip", "ping", "ssh", "console"] as const;
type VmField = (typeof VM_FIELDS)[number];

/** `key=value` pairs of a marker line; a value runs to the next known key, so an image name may hold spaces. */
function fieldsOf(rest: string): Partial<Record<VmField, string>> {
  const fields: Partial<Record<VmField, string>> = {};
  const keys = new RegExp(`(?:^|\\s)(${VM_FIELDS.join("|")})=`, "g");
  const found = [...rest.matchAll(keys)];
  found.forEach((match, i) => {
    const start = match.index + match[0].length;
    const end = i + 1 < found.length ? found[i + 1].index : rest.length;
    fields[match[1] as VmField] = rest.slice(start, end).trim();
  });
  return fields;
}

/** The text after a marker ("SP_VM ") in a line, wherever the line puts it (a log line may carry a prefix). */
function afterMarker(line: string, marker: string): string | null {
  const match = new RegExp(`(?:^|\\s)${marker} (.*)$`).exec(line);
  return match ? match[1] : null;
}

const orNull = (value: string | undefined) => (!value || value === "-" ? null : value);

/**
 * A fault as `openstack server show -f value -c fault` prints it, Nova's dict on one line: its
 * message (the details are a traceback); any other text as it is.
 */
export function faultMessage(fault: string): string {
  const message = /['"]message['"]:\s*(['"])((?:\\.|(?!\1).)*)\1/.exec(fault);
  return (message ? message[2].replace(/\\(['"\\])/g, "$1") : fault).trim();
}

/**
 * The VMs verify.vm reported, in the order it printed them; null when it printed none. A VM's
 * faults come before its line, its deletion after them all: both are matched by the compute.
 */
export function readVmResults(lines: readonly string[]): VmResult[] | null {
  const vms: VmResult[] = [];
  const faults = new Map<string, string[]>();
  const deleted = new Set<string>();
  for (const line of lines) {
    const reported = afterMarker(line, "SP_VM");
    if (reported !== null) {
      const f = fieldsOf(reported);
      if (!f.host) continue;
      const seconds = Number(f.active_seconds);
      vms.push({
        host: f.host,
        server: f.server ?? "",
        image: f.image ?? "",
        status: f.status ?? "",
        activeSeconds: f.active_seconds && f.active_seconds !== "-" && Number.isFinite(seconds) ? seconds : null,
        fixedIp: orNull(f.fixed_ip),
        floatingIp: orNull(f.floating_ip),
        ping: f.ping ?? "skipped",
        ssh: f.ssh ?? "skipped",
        console: f.console ?? "skipped",
        faults: [],
        deleted: false,
      });
      continue;
    }
    const fault = /^host=(\S+)\s+(.*)$/.exec(afterMarker(line, "SP_VM_FAULT") ?? "");
    if (fault && fault[2].trim()) faults.set(fault[1], [...(faults.get(fault[1]) ?? []), faultMessage(fault[2])]);
    const gone = /^host=(\S+)/.exec(afterMarker(line, "SP_VM_DELETED") ?? "");
    if (gone) deleted.add(gone[1]);
  }
  for (const vm of vms) {
    vm.faults = faults.get(vm.host) ?? [];
    vm.deleted = deleted.has(vm.host);
  }
  return vms.length > 0 ? vms : null;
}

/** Every agent `openstack network agent list` listed; null when its table is not in the output. */
export function readNetworkAgents(lines: readonly string[]): NetworkAgent[] | null {
  const agents = tableWith(readTables(lines), "Agent Type", "Host", "Alive");
  if (!agents) return null;
  const cell = (row: string[], name: string) => {
    const at = agents.at(name);
    return at >= 0 ? (row[at] ?? "") : "";
  };
  return agents.rows.map((row) => ({
    type: cell(row, "Agent Type"),
    host: cell(row, "Host"),
    // cliff draws alive as ":-)" and dead as "XXX"; `-f value` says True/False.
    alive: [":-)", "true"].includes(cell(row, "Alive").toLowerCase()),
    state: cell(row, "State"),
    binary: cell(row, "Binary"),
  }));
}

/** What the dashboard holds of a step run: its result (verifyOutput once verified, a triage once failed) and its log lines so far. */
type StepRunLines = { stepKey: string; result: unknown; log: readonly string[] };

/**
 * The VMs and agents a run's checks found so far, for the dashboard: from what a step's verify
 * printed, else from its log lines (while it runs), else from a failed step's triage; null until
 * either printed something.
 */
export function runVmCheck(stepRuns: readonly StepRunLines[]): { vms: VmResult[] | null; agents: NetworkAgent[] | null } | null {
  const read = <T>(key: string, reader: (lines: readonly string[]) => T | null): T | null => {
    const stepRun = stepRuns.find((s) => s.stepKey === key);
    if (!stepRun) return null;
    const result = stepRun.result as { verifyOutput?: unknown; triage?: { lastLines?: unknown } } | null;
    const candidates = [result?.verifyOutput, stepRun.log, result?.triage?.lastLines];
    for (const lines of candidates) {
      const found = Array.isArray(lines) ? reader(lines.map(String)) : null;
      if (found) return found;
    }
    return null;
  };
  const vms = read(VM_VERIFY_STEP, readVmResults);
  const agents = read(NETWORK_VERIFY_STEP, readNetworkAgents);
  return vms || agents ? { vms, agents } : null;
}
