import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/client";

/** A session ends after this long without a request, and in any case this long after sign-in. */
export const IDLE_TIMEOUT_MS = 12 * 60 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 60 * 60_000;
/** lastSeenAt is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 5 * 60_000;

export type SignedIn = { sessionId: string; userId: string; username: string; csrfToken: string };
export type NewSession = SignedIn & { token: string; expiresAt: Date };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Sessions in SQLite, found by the SHA-256 of the cookie's random token (the token itself is never
 * stored). Each carries its own CSRF token for requests that change something.
 */
export class SessionStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string): Promise<NewSession> {
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    const now = this.now();
    const expiresAt = new Date(now + IDLE_TIMEOUT_MS);
    // Sessions nobody came back to are removed here, at each sign-in, rather than piling up.
    await this.db.session.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
    const row = await this.db.session.create({
      data: { tokenHash: hashToken(token), csrfToken, userId, createdAt: new Date(now), lastSeenAt: new Date(now), expiresAt },
      include: { user: true },
    });
    return { token, expiresAt, sessionId: row.id, userId, username: row.user.username, csrfToken };
  }

  /** The session this token opens, or null when it is unknown or has run out (then it is removed). */
  async find(token: string | undefined): Promise<SignedIn | null> {
    if (!token || token.length > 200) return null;
    const row = await this.db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!row) return null;
    const now = this.now();
    if (row.expiresAt.getTime() <= now) {
      await this.db.session.deleteMany({ where: { id: row.id } });
      return null;
    }
    if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      const expiresAt = new Date(Math.min(now + IDLE_TIMEOUT_MS, row.createdAt.getTime() + ABSOLUTE_TIMEOUT_MS));
      await this.db.session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(now), expiresAt } });
    }
    return { sessionId: row.id, userId: row.userId, username: row.user.username, csrfToken: row.csrfToken };
  }

  async revoke(token: string | undefined): Promise<void> {
    if (token) await this.db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
  }

  /** Signs a user out everywhere (after a password change). */
  async revokeAllOf(userId: string): Promise<void> {
    await this.db.session.deleteMany({ where: { userId } });
  }
}
