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

const SSH_SECRET_KEY = /^ssh\.(shared|host\.[A-Za-z0-9_-]{1,64})\.(password|privateKey)$/;

export function isSshSecretKey(key: string): boolean {
  return SSH_SECRET_KEY.test(key);
}
