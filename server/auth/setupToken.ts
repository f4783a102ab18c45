import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * The one-time token that lets the first person in create the admin account, as Jupyter and
 * Portainer do: printed to the server console and kept in <DATA_DIR>/setup-token (mode 0600) for
 * when the console scrolled away. A new one is made at every start until an account exists; it
 * stops working the moment it has been used.
 */
export class SetupToken {
  private expected: Buffer | null = null;

  constructor(readonly file: string) {}

  issue(): string {
    const token = randomBytes(24).toString("base64url");
    writeFileSync(this.file, `${token}\n`, { mode: 0o600 });
    this.expected = digest(token);
    return token;
  }

  get pending(): boolean {
    return this.expected !== null;
  }

  matches(token: string): boolean {
    return this.expected !== null && timingSafeEqual(digest(token.trim()), this.expected);
  }

  consume(): void {
    this.expected = null;
    rmSync(this.file, { force: true });
  }
}
