// The lab hosts' root password: random, generated once, kept in a 0600 file in the state dir,
// and handed to other programs only through stdin or that file (never on a command line).
import { randomInt } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { run } from "./exec";

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
// Punctuation that survives shells, URLs-in-forms and config files without quoting surprises.
const PUNCTUATION = "-_.,:+=%@#";
const CLASSES = [LOWER, UPPER, DIGITS, PUNCTUATION];

export function generatePassword(length = 20, pick: (max: number) => number = randomInt): string {
  if (length < CLASSES.length) throw new Error(`password length must be at least ${CLASSES.length}`);
  const all = CLASSES.join("");
  // One of each class first, the rest from all classes, then a Fisher-Yates shuffle.
  const chars = CLASSES.map((c) => c[pick(c.length)]);
  while (chars.length < length) chars.push(all[pick(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/** Reads the password file, creating it on first use; returns the password. */
export async function ensurePasswordFile(file: string): Promise<string> {
  const existing = await readFile(file, "utf8").catch(() => null);
  if (existing?.trim()) {
    await chmod(file, 0o600); // repair a loosened mode rather than keep serving a readable secret
    return existing.trim();
  }
  const password = generatePassword();
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: "w" });
  return password;
}

/** SHA-512 crypt hash for /etc/shadow, computed by openssl with the password on stdin. */
export async function hashPassword(password: string): Promise<string> {
  const { stdout } = await run("openssl", ["passwd", "-6", "-stdin"], { input: `${password}\n` });
  return stdout.trim();
}

/** Pure: /etc/shadow text with root's hash replaced. */
export function withRootHash(shadow: string, hash: string): string {
  const lines = shadow.split("\n");
  const index = lines.findIndex((l) => l.startsWith("root:"));
  if (index < 0) throw new Error("no root entry in /etc/shadow");
  const fields = lines[index].split(":");
  fields[1] = hash;
  lines[index] = fields.join(":");
  return lines.join("\n");
}
