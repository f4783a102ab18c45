import type { HostCheckFinding, HostFacts, VirtType, VirtualizationFacts } from "@/lib/hostcheck/hostCheckResult";
import type { HostView, PlanView } from "@/lib/plan/planView";
import type { ProfileName } from "@/lib/plan/profiles";

const GiB = 1024 ** 3;
/** The tutorial's hosts: 8 GB of RAM and a 300 GB disk. Less is allowed, with a warning. */
export const TUTORIAL_MEMORY_BYTES = 8 * GiB;
export const TUTORIAL_DISK_BYTES = 300 * 1000 ** 3;
/** chrony fixes small offsets; beyond this, tokens and agents misbehave until it does. */
export const MAX_CLOCK_SKEW_MS = 2000;

const PROFILE_OS: Record<ProfileName, { id: string; version: string; label: string }> = {
  "centos7-train": { id: "centos", version: "7", label: "CentOS 7" },
  "debian12-zed": { id: "debian", version: "12", label: "Debian 12" },
};

/** Turns facts into findings a user can act on, worded plainly. Pure: unit-tested without SSH. */
export function evaluateHostFacts(facts: HostFacts, host: HostView, plan: Pick<PlanView, "profile" | "hosts">): HostCheckFinding[] {
  const findings: HostCheckFinding[] = [];
  const add = (id: string, level: HostCheckFinding["level"], message: string, text?: HostCheckFinding["text"]) => findings.push({ id, level, message, ...(text ? { text } : {}) });

  const wanted = PROFILE_OS[plan.profile];
  if (!facts.osId) add("os", "warn", "Could not read /etc/os-release.");
  else if (facts.osId !== wanted.id || !(facts.osVersion ?? "").startsWith(wanted.version)) {
    add("os", "warn", `${facts.osName ?? facts.osId} does not match the plan's profile (${wanted.label}).`);
  } else add("os", "ok", facts.osName ?? wanted.label);

  if (facts.memoryBytes === null) add("memory", "warn", "Could not read the memory size.");
  else if (facts.memoryBytes < TUTORIAL_MEMORY_BYTES * 0.95) {
    add("memory", "warn", `${formatGiB(facts.memoryBytes)} of RAM, below the tutorial's 8 GB.`);
  } else add("memory", "ok", `${formatGiB(facts.memoryBytes)} of RAM`);

  if (facts.cpus !== null) add("cpus", "ok", `${facts.cpus} CPU${facts.cpus === 1 ? "" : "s"}`);

  const diskBytes = Math.max(facts.rootFsBytes ?? 0, ...facts.disks.map((d) => d.bytes));
  if (diskBytes > 0 && diskBytes < TUTORIAL_DISK_BYTES * 0.95) {
    add("disk", "warn", `${formatGiB(diskBytes)} of disk, below the tutorial's 300 GB.`);
  } else if (diskBytes > 0) add("disk", "ok", `${formatGiB(diskBytes)} of disk`);

  for (const [field, label] of [["managementIp", "management"], ["natIp", "second"]] as const) {
    const ip = host[field].trim();
    if (facts.localIps[ip]) add(`ip.${field}`, "ok", `${ip} (${label}) is on this host.`);
    else add(`ip.${field}`, "warn", `${ip} (${label} IP in the plan) is not configured on any interface of this host.`);
  }

  if (facts.hostname && facts.hostname !== host.name.trim()) {
    add("hostname", "ok", `Hostname is ${facts.hostname}; the base phase will set it to ${host.name.trim()}.`);
  } else if (facts.hostname) add("hostname", "ok", `Hostname is ${facts.hostname}.`);

  if (facts.clockSkewMs === null) add("clock", "warn", "Could not read the host's clock.");
  else if (Math.abs(facts.clockSkewMs) > MAX_CLOCK_SKEW_MS) {
    add("clock", "warn", `The clock is ${formatSkew(facts.clockSkewMs)} off this machine's; chrony will have to correct it.`);
  } else add("clock", "ok", `Clock within ${formatSkew(facts.clockSkewMs)} of this machine's.`);

  for (const other of plan.hosts) {
    if (other.id === host.id) continue;
    const name = other.name.trim();
    const addresses = facts.resolves[name] ?? [];
    if (addresses.length === 0) add(`resolve.${name}`, "warn", `${name} does not resolve here yet (the base phase adds it to /etc/hosts).`);
    else if (!addresses.includes(other.managementIp.trim())) {
      add(`resolve.${name}`, "warn", `${name} resolves to ${addresses.join(", ")}, not to its management IP ${other.managementIp.trim()}.`);
    } else add(`resolve.${name}`, "ok", `${name} resolves to ${other.managementIp.trim()}.`);
  }
  if (host.role === "compute") add("virtualization", ...virtualizationFinding(facts.virtualization));
  return findings;
}

/** KVM only where the probe saw a test guest run at hardware speed; anything else is QEMU. */
export function decideVirtType(virtualization: VirtualizationFacts | null): VirtType {
  return virtualization?.kvmUsable ? "kvm" : "qemu";
}

/** Informative: QEMU works everywhere, only slower, so its worst is a warning. */
function virtualizationFinding(v: VirtualizationFacts | null): [HostCheckFinding["level"], string, HostCheckFinding["text"]] {
  if (!v) return ["warn", "Virtualisation: QEMU (software), guests will be slow — /dev/kvm could not be tested.", { key: "hostcheck.virtUntested", params: {} }];
  const cpu = v.cpuFlag ? `${v.cpuFlag}${v.nested ? ", nested" : ""}` : "—";
  const params = { reason: v.reason, cpu };
  if (decideVirtType(v) === "kvm") return ["ok", `Virtualisation: KVM — ${v.reason} (CPU flag: ${cpu}).`, { key: "hostcheck.virtKvm", params }];
  return ["warn", `Virtualisation: QEMU (software), guests will be slow — /dev/kvm: ${v.reason} (CPU flag: ${cpu}).`, { key: "hostcheck.virtQemu", params }];
}

function formatGiB(bytes: number): string {
  return `${(bytes / GiB).toFixed(bytes < 10 * GiB ? 1 : 0)} GiB`;
}

function formatSkew(ms: number): string {
  return Math.abs(ms) < 1000 ? `${Math.abs(ms)} ms` : `${(Math.abs(ms) / 1000).toFixed(1)} s`;
}
