import type { PlanView } from "@/lib/plan/planView";
import { sshSecretKey, type CredentialOwner } from "@/lib/plan/secretKeys";

/** Where and how to log in to one host. Credentials stay in memory on the server only. */
export type SshTarget = {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
};

export function describeTarget(target: SshTarget): string {
  return `${target.username}@${target.host}:${target.port}`;
}

/**
 * Each host's login (by host id), with the credential the plan holds for it: the shared one or
 * the host's own, a password or a private key as the plan says. `secrets` are the plan's opened
 * secrets by key (PlanStore.loadForRun).
 */
export function sshTargetsFor(plan: Pick<PlanView, "hosts" | "settings">, secrets: ReadonlyMap<string, string>): Map<string, SshTarget> {
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
