/** What the host check found on one host, as the dashboard shows it. */
export type CheckLevel = "ok" | "warn" | "fail";

export type HostCheckFinding = { id: string; level: CheckLevel; message: string };

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
};

export type HostCheckResult = {
  facts: HostFacts;
  findings: HostCheckFinding[];
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
