import type { MessageKey } from "@/lib/i18n/messages";

/** What the host check found on one host, as the dashboard shows it. */
export type CheckLevel = "ok" | "warn" | "fail";

export type HostCheckFinding = {
  id: string;
  level: CheckLevel;
  /** In English, for the log. */
  message: string;
  /** The same in the UI's language, for findings the dashboard translates. */
  text?: { key: MessageKey; params: Record<string, string | number> };
};

/** How Nova's libvirt driver runs guests on a host: KVM (hardware) or QEMU (software emulation). */
export type VirtType = "kvm" | "qemu";

/** What the host check's /dev/kvm probe found (see server/hostcheck/kvmProbe.ts). */
export type VirtualizationFacts = {
  /** A test guest ran on /dev/kvm, at hardware speed. */
  kvmUsable: boolean;
  /** Why, in plain words: what the probe saw, or where it stopped. */
  reason: string;
  /** The CPU's hardware virtualisation flag as the host sees it (context only, never the decision). */
  cpuFlag: "vmx" | "svm" | null;
  /** Whether kvm_intel/kvm_amd allow nested guests (null: module not loaded). */
  nested: boolean | null;
};

export type HostFacts = {
  osName: string | null;
  osId: string | null;
  osVersion: string | null;
  hostname: string | null;
  machineId: string | null;
  cpus: number | null;
  memoryBytes: number | null;
  rootFsBytes: number | null;
  disks: { name: string; bytes: number }[];
  /** Plan IP -> whether the host answers to it (it is one of its own addresses). */
  localIps: Record<string, boolean>;
  /** Other plan host name -> the addresses it resolves to on this host ([] when it does not resolve). */
  resolves: Record<string, string[]>;
  /** Host clock minus the wizard's clock, in milliseconds. */
  clockSkewMs: number | null;
  /** null when the host's output had no probe section. */
  virtualization: VirtualizationFacts | null;
};

export type HostCheckResult = {
  facts: HostFacts;
  findings: HostCheckFinding[];
  /** Decided by the probe, never assumed: what the playbook writes as nova.conf's [libvirt] virt_type. */
  virtType: VirtType;
  hostKeyFingerprint: string;
  connectMs: number;
};

/**
 * A host check refused because the host showed another key than the pinned one (nothing was sent
 * to it): the failed step's result, so the dashboard can offer to trust the new key.
 */
export type HostKeyChangedResult = { hostKeyChanged: { pinned: string; presented: string } };

export function isHostCheckResult(result: unknown): result is HostCheckResult {
  return typeof result === "object" && result !== null && "facts" in result;
}

export function isHostKeyChangedResult(result: unknown): result is HostKeyChangedResult {
  return typeof result === "object" && result !== null && "hostKeyChanged" in result;
}
