import { ALL_SERVICE_SECRETS, serviceSecretKey } from "../playbook/serviceSecrets";
import type { PlanView, SecretFlags } from "./planView";

/**
 * Names of the secret values a plan keeps in its own table. The wizard and the API only ever learn
 * whether a secret is set, never its value.
 */
export const SSH_SECRET_KINDS = ["password", "privateKey"] as const;
export type SshSecretKind = (typeof SSH_SECRET_KINDS)[number];

/** Credentials shared by every host ("one set for all") or a host's own. */
export type CredentialOwner = { scope: "shared" } | { scope: "host"; hostId: string };

export function sshSecretKey(owner: CredentialOwner, kind: SshSecretKind): string {
  return owner.scope === "shared" ? `ssh.shared.${kind}` : `ssh.host.${owner.hostId}.${kind}`;
}

const SSH_SECRET_KEY = /^ssh\.(?:shared|host\.([A-Za-z0-9_-]{1,64}))\.(password|privateKey)$/;

export function parseSshSecretKey(key: string): { owner: CredentialOwner; kind: SshSecretKind } | null {
  const match = SSH_SECRET_KEY.exec(key);
  if (!match) return null;
  const owner: CredentialOwner = match[1] ? { scope: "host", hostId: match[1] } : { scope: "shared" };
  return { owner, kind: match[2] as SshSecretKind };
}

const FLAG: Record<SshSecretKind, keyof SecretFlags> = { password: "passwordSet", privateKey: "privateKeySet" };

export function isSecretSet(plan: Pick<PlanView, "sharedSecrets" | "hosts">, owner: CredentialOwner, kind: SshSecretKind): boolean {
  const flags = owner.scope === "shared" ? plan.sharedSecrets : plan.hosts.find((h) => h.id === owner.hostId);
  return flags?.[FLAG[kind]] ?? false;
}

/** The plan with one "is set" flag changed (the wizard's view while a typed secret awaits saving). */
export function withSecretFlag(plan: PlanView, owner: CredentialOwner, kind: SshSecretKind, isSet: boolean): PlanView {
  const flag = FLAG[kind];
  if (owner.scope === "shared") return { ...plan, sharedSecrets: { ...plan.sharedSecrets, [flag]: isSet } };
  return { ...plan, hosts: plan.hosts.map((h) => (h.id === owner.hostId ? { ...h, [flag]: isSet } : h)) };
}

/**
 * The wizard's field for a secret key, as validation issues address it: "service.RABBIT_PASS" →
 * "secrets.RABBIT_PASS", "ssh.shared.password" → "shared.password", a host's → "hosts.<index>.password".
 * Null for a key that has no field (a host no longer in the plan, an unknown key).
 */
export function secretFieldPath(key: string, plan: Pick<PlanView, "hosts">): string | null {
  const service = ALL_SERVICE_SECRETS.find((name) => serviceSecretKey(name) === key);
  if (service) return `secrets.${service}`;
  const ssh = parseSshSecretKey(key);
  if (!ssh) return null;
  if (ssh.owner.scope === "shared") return `shared.${ssh.kind}`;
  const { hostId } = ssh.owner;
  const index = plan.hosts.findIndex((h) => h.id === hostId);
  return index < 0 ? null : `hosts.${index}.${ssh.kind}`;
}

/** The plan with the "is set" flag of a secret key (service or SSH) as another plan has it. */
export function withSecretFlagOf(plan: PlanView, key: string, from: PlanView): PlanView {
  const service = ALL_SERVICE_SECRETS.find((name) => serviceSecretKey(name) === key);
  if (service) return { ...plan, serviceSecrets: { ...plan.serviceSecrets, [service]: from.serviceSecrets[service] } };
  const ssh = parseSshSecretKey(key);
  return ssh ? withSecretFlag(plan, ssh.owner, ssh.kind, isSecretSet(from, ssh.owner, ssh.kind)) : plan;
}
