import { SERVICE_SECRETS } from "../playbook/serviceSecrets";

/** The tutorial's placeholders and other values people type when they mean "later". */
const PLACEHOLDERS = new Set([...SERVICE_SECRETS.map((s) => s.toLowerCase()), "password", "openstack", "admin", "123456", "000000", "root", "changeme"]);

/** A warning for a weak password, or null. Shown while typing: the value is never read back. */
export function weakPasswordWarning(value: string): string | null {
  if (value === "") return null;
  if (PLACEHOLDERS.has(value.toLowerCase())) return "This is one of the tutorial's placeholders or a common password: anyone can guess it.";
  if (value.length < 12) return `Only ${value.length} characters: use at least 12, or generate one.`;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  if (classes < 3) return "Mix lower and upper case letters, digits and symbols, or generate one.";
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
