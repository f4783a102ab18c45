import type { PlanView } from "@/lib/plan/planView";
import { sshSecretKey, type CredentialOwner } from "@/lib/plan/secretKeys";
import { HostKeyPins, type HostKeyPinStore } from "./hostKeyPins";
import type { SshTarget } from "./sshTarget";

/** How a job reaches one plan's hosts: each host's login (by host id) and the keys pinned for them. */
export type HostAccess = { targets: Map<string, SshTarget>; hostKeys: HostKeyPins };

/**
 * Made when a deployment or a host check starts, from the plan as it is then: the one place where
 * a stored password or key (opened by PlanStore.loadForRun) becomes an SSH login. `pins` is where
 * a host's key is pinned on first use (the plan store).
 */
export function hostAccessFor(plan: { view: Pick<PlanView, "id" | "hosts" | "settings">; secrets: ReadonlyMap<string, string> }, pins: HostKeyPinStore): HostAccess {
  return { targets: sshTargetsFor(plan.view, plan.secrets), hostKeys: HostKeyPins.forPlan(pins, plan.view) };
}

/**
 * Each host's login (by host id), with the credential the plan holds for it: the shared one or
 * the host's own, a password or a private key as the plan says. `secrets` are the plan's opened
 * secrets by key (PlanStore.loadForRun).
 */
function sshTargetsFor(plan: Pick<PlanView, "hosts" | "settings">, secrets: ReadonlyMap<string, string>): Map<string, SshTarget> {
  const shared = plan.settings.credentialMode === "shared";
  const targets = new Map<string, SshTarget>();
  for (const host of plan.hosts) {
    const owner: CredentialOwner = shared ? { scope: "shared" } : { scope: "host", hostId: host.id };
    const method = shared ? plan.settings.sharedAuthMethod : host.authMethod;
    targets.set(host.id, {
      host: host.managementIp.trim(),
      port: host.sshPort,
      username: (shared ? plan.settings.sharedSshUser : host.sshUser).trim(),
      ...(method === "password" ? { password: secrets.get(sshSecretKey(owner, "password")) } : { privateKey: secrets.get(sshSecretKey(owner, "privateKey")) }),
    });
  }
  return targets;
}
