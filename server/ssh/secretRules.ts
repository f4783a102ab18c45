import ssh2 from "ssh2";
import { parseSshSecretKey } from "@/lib/plan/secretKeys";
import { SERVICE_SECRETS, serviceSecretKey } from "@/lib/playbook/serviceSecrets";

/** A password may be this long: enough for any generated one; a 10 kB paste is a mistake. */
export const PASSWORD_MAX_LENGTH = 1024;

/** What is wrong with a secret the form sends, addressed to the field at fault. */
export type SecretProblem = { path: string; message: string };

/**
 * The rules a secret (an SSH password or private key, a service password) must meet before it is
 * stored; null when it meets them. An empty value or null (the secret is removed) only needs a
 * known key. A private key must be one ssh2 can use at the handshake, unencrypted.
 */
export function secretProblem(key: string, value: string | null): SecretProblem | null {
  const isServiceSecret = SERVICE_SECRETS.some((name) => serviceSecretKey(name) === key);
  if (!parseSshSecretKey(key) && !isServiceSecret) return { path: "secrets", message: `Unknown secret "${key.slice(0, 80)}".` };
  if (value === null || value === "") return null;
  if (value.includes("\0")) return { path: key, message: "A password or key cannot contain a NUL character." };
  const message = key.endsWith(".privateKey") ? privateKeyProblem(value) : passwordProblem(value);
  return message ? { path: key, message } : null;
}

function privateKeyProblem(value: string): string | null {
  const parsed = ssh2.utils.parseKey(value);
  if (!(parsed instanceof Error)) return null;
  return /encrypted|passphrase/i.test(parsed.message)
    ? "This private key is protected by a passphrase; paste an unencrypted key (StackPilot stores it encrypted)."
    : "This is not a private key StackPilot can read: paste the whole file, from -----BEGIN to -----END.";
}

/**
 * Passwords (SSH and the service passwords) may hold any printable character, quotes, spaces,
 * `$`, backslashes and non-ASCII letters included: they travel quoted (shellQuote) or on stdin.
 * Control characters may not: a line break would split the configuration lines they are written
 * to (ini files, admin-openrc), and no login prompt can type them.
 */
function passwordProblem(value: string): string | null {
  if ([...value].length > PASSWORD_MAX_LENGTH) return `A password can be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return "A password cannot contain a line break, a tab or another control character (any other character, quotes and spaces included, is fine).";
  }
  return null;
}
