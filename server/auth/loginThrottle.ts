/**
 * Slows down guessing: after a few failed logins for the same user name or from the same address,
 * each further attempt has to wait twice as long as the one before (1 s, 2 s, 4 s … up to
 * MAX_WAIT_MS). A success clears the user name's count; quiet for FORGET_AFTER_MS clears it too.
 * Kept in memory: a restart forgets it, which costs an attacker a restart they cannot cause.
 */
export const FREE_ATTEMPTS = 3;
export const MAX_WAIT_MS = 60_000;
const FORGET_AFTER_MS = 15 * 60_000;
const MAX_ENTRIES = 10_000;

type Entry = { failures: number; lastFailureAt: number; lockedUntil: number };

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** How long these keys must still wait before the next attempt; 0 when it may go ahead. */
  waitMs(keys: string[]): number {
    const now = this.now();
    return Math.max(0, ...keys.map((key) => (this.live(key, now)?.lockedUntil ?? 0) - now));
  }

  recordFailure(keys: string[]): void {
    const now = this.now();
    if (this.entries.size > MAX_ENTRIES) this.prune(now);
    for (const key of keys) {
      const entry = this.live(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
      entry.failures += 1;
      entry.lastFailureAt = now;
      const over = entry.failures - FREE_ATTEMPTS;
      entry.lockedUntil = over > 0 ? now + Math.min(1000 * 2 ** (over - 1), MAX_WAIT_MS) : 0;
      this.entries.set(key, entry);
    }
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastFailureAt > FORGET_AFTER_MS && now >= entry.lockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(now: number): void {
    for (const key of [...this.entries.keys()]) this.live(key, now);
  }
}

/** The throttle keys of one attempt: the user name as typed (case-folded) and the client address. */
export function throttleKeys(username: string, address: string | undefined): string[] {
  return [`user:${username.trim().toLowerCase()}`, `address:${address ?? "unknown"}`];
}
