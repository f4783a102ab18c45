import ssh2 from "ssh2";
import { rejectedValue, type RejectedValue } from "@/lib/plan/rejectedValue";
import { shownValue } from "@/lib/plan/validatePlan";
import { parseSshSecretKey } from "@/lib/plan/secretKeys";
import { ALL_SERVICE_SECRETS, serviceSecretKey } from "@/lib/playbook/serviceSecrets";

/** A password may be this long: enough for any generated one; a 10 kB paste is a mistake. */
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * The rules a secret (an SSH password or private key, a service password) must meet before it is
 * stored; null when it meets them, else what is wrong, addressed to the field at fault (never
 * carrying the value). An empty value or null (the secret is removed) only needs a known key. A
 * private key must be one ssh2 can use at the handshake, unencrypted.
 */
export function secretProblem(key: string, value: string | null): RejectedValue | null {
  const isServiceSecret = ALL_SERVICE_SECRETS.some((name) => serviceSecretKey(name) === key);
  if (!parseSshSecretKey(key) && !isServiceSecret) return rejectedValue("secrets", "plan.rejected.unknownSecret", { key: shownValue(key) });
  if (value === null || value === "") return null;
  if (value.includes("\0")) return rejectedValue(key, "plan.rejected.secretNul");
  return key.endsWith(".privateKey") ? privateKeyProblem(key, value) : passwordProblem(key, value);
}

function privateKeyProblem(key: string, value: string): RejectedValue | null {
  const parsed = ssh2.utils.parseKey(value);
  if (!(parsed instanceof Error)) return null;
  return rejectedValue(key, /encrypted|passphrase/i.test(parsed.message) ? "plan.rejected.keyEncrypted" : "plan.rejected.keyUnreadable");
}

/**
 * Passwords (SSH and the service passwords) may hold any printable character, quotes, spaces,
 * `$`, backslashes and non-ASCII letters included: they travel quoted (shellQuote) or on stdin.
 * Control characters may not: a line break would split the configuration lines they are written
 * to (ini files, admin-openrc), and no login prompt can type them.
 */
function passwordProblem(key: string, value: string): RejectedValue | null {
  if ([...value].length > PASSWORD_MAX_LENGTH) return rejectedValue(key, "plan.rejected.passwordTooLong", { max: PASSWORD_MAX_LENGTH });
  if (/[\u0000-\u001f\u007f]/.test(value)) return rejectedValue(key, "plan.rejected.passwordControl");
  return null;
}
