import { createHash } from "node:crypto";
import type { PlanView } from "@/lib/plan/planView";
import type { PlanSnapshot } from "@/lib/plan/planDiff";

/**
 * What a run remembers of its plan: everything the user entered except secret values (the view
 * never holds them; only when each secret was last set) and bookkeeping that does not change what
 * runs. The hash lets a later resume tell whether the plan changed since.
 */
export function snapshotPlan(view: PlanView, secretsSetAt: Record<string, string> = {}): { snapshot: string; hash: string } {
  const { updatedAt: _updatedAt, wizardStep: _wizardStep, hosts, ...meaningful } = view;
  // A pinned host key is the server's bookkeeping, not the user's plan: pinning it changes nothing that runs.
  const value: PlanSnapshot = {
    ...meaningful,
    hosts: hosts.map(({ hostKeyFingerprint: _fingerprint, hostKeyPinnedAt: _pinnedAt, ...host }) => host),
    secretsSetAt: sortedKeys(secretsSetAt),
  };
  const snapshot = JSON.stringify(value);
  return { snapshot, hash: createHash("sha256").update(snapshot).digest("hex") };
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
