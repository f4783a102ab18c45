import type { MessageKey } from "../i18n/messages";
import { translate, type MessageParams } from "../i18n/translate";
import { ALL_SERVICE_SECRETS } from "../playbook/serviceSecrets";

/** The tutorial's placeholders and other values people type when they mean "later". */
const PLACEHOLDERS = new Set([...ALL_SERVICE_SECRETS.map((s) => s.toLowerCase()), "password", "openstack", "admin", "123456", "000000", "root", "changeme"]);

/** A key of the wizard's catalog (lib/i18n/messages/wizard.ts). */
export type PasswordWarningCode = Extract<MessageKey, `plan.password.${string}`>;

/** Why a password is weak: shown as `t(code, params)`; `message` is the English text. */
export type PasswordWarning = { code: PasswordWarningCode; params: MessageParams; message: string };

function warning(code: PasswordWarningCode, params: MessageParams = {}): PasswordWarning {
  return { code, params, message: translate("en", code, params) };
}

/** A warning for a weak password, or null. Shown while typing: the value is never read back. */
export function weakPasswordWarning(value: string): PasswordWarning | null {
  if (value === "") return null;
  if (PLACEHOLDERS.has(value.toLowerCase())) return warning("plan.password.guessable");
  if (value.length < 12) return warning("plan.password.tooShort", { length: value.length });
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  if (classes < 3) return warning("plan.password.mixClasses");
  return null;
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.,+=%@";

/** A strong random password (24 characters, about 145 bits). */
export function generatePassword(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const out: string[] = [];
  while (out.length < 24) {
    for (const byte of random(32)) {
      // Rejection sampling keeps every character equally likely.
      if (byte < 256 - (256 % ALPHABET.length) && out.length < 24) out.push(ALPHABET[byte % ALPHABET.length]);
    }
  }
  return out.join("");
}
