import path from "node:path";
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/accountRules";
import { readCookie, sessionCookieName } from "./authCookie";
import { LoginThrottle, throttleKeys } from "./loginThrottle";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "./passwordHash";
import type { NewSession, SessionStore, SignedIn } from "../store/sessionStore";
import type { UserStore } from "../store/userStore";
import { SetupToken } from "./setupToken";

/** A refused sign-in or setup, with the HTTP status and a message for the person at the form. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    readonly status: 400 | 401 | 403 | 409 | 429,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const credentialsSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, "Enter a user name.")
    .max(64, "A user name has at most 64 characters.")
    .regex(/^[A-Za-z0-9._@-]+$/, "A user name may use letters, digits and . _ @ - only."),
  password: z.string().min(1, "Enter a password.").max(1024, "A password has at most 1024 characters."),
});
export const setupSchema = credentialsSchema.extend({
  token: z.string().trim().min(1, "Paste the setup token printed in the server console.").max(200),
  password: credentialsSchema.shape.password.min(MIN_PASSWORD_LENGTH, `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`),
});

/** Who may use the wizard: the admin account made once with the setup token, and its sessions. */
export class Auth {
  readonly setupToken: SetupToken;
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly users: UserStore,
    readonly sessions: SessionStore,
    dataDir: string,
    readonly port: number,
    now: () => number = Date.now,
  ) {
    this.setupToken = new SetupToken(path.join(dataDir, "setup-token"));
    this.throttle = new LoginThrottle(now);
  }

  /** At start: a fresh setup token while nobody can sign in yet, to print on the console. */
  async issueSetupTokenIfNeeded(): Promise<string | null> {
    if (!(await this.needsSetup())) {
      this.setupToken.consume();
      return null;
    }
    return this.setupToken.issue();
  }

  async needsSetup(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  async setup(input: z.infer<typeof setupSchema>, address: string | undefined): Promise<NewSession> {
    const keys = ["setup", `address:${address ?? "unknown"}`];
    this.refuseWhileThrottled(keys);
    if (!(await this.needsSetup())) throw new AuthError(409, "The admin account exists already. Sign in instead.");
    if (!this.setupToken.matches(input.token)) {
      this.throttle.recordFailure(keys);
      throw new AuthError(403, `That is not the setup token. Copy it from the server console or from ${this.setupToken.file}.`);
    }
    // Used up before anything is awaited: of two setups at the same moment only one gets here.
    this.setupToken.consume();
    this.throttle.recordSuccess(keys);
    const user = await this.users.create(input.username.toLowerCase(), await hashPassword(input.password));
    return this.sessions.create(user.id);
  }

  async login(input: z.infer<typeof credentialsSchema>, address: string | undefined): Promise<NewSession> {
    const keys = throttleKeys(input.username, address);
    this.refuseWhileThrottled(keys);
    const user = await this.users.findByUsername(input.username.toLowerCase());
    const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDecoy(input.password);
    if (!user || !ok) {
      this.throttle.recordFailure(keys);
      throw new AuthError(401, "Wrong user name or password.");
    }
    this.throttle.recordSuccess(keys);
    return this.sessions.create(user.id);
  }

  /** The session a request's Cookie header carries, if it is still valid. */
  signedIn(cookieHeader: string | null | undefined): Promise<SignedIn | null> {
    return this.sessions.find(readCookie(cookieHeader, sessionCookieName(this.port)));
  }

  logout(cookieHeader: string | null | undefined): Promise<void> {
    return this.sessions.revoke(readCookie(cookieHeader, sessionCookieName(this.port)));
  }

  private refuseWhileThrottled(keys: string[]): void {
    const waitMs = this.throttle.waitMs(keys);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new AuthError(429, `Too many failed attempts. Try again in ${seconds} s.`, seconds);
    }
  }
}
