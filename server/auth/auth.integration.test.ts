import { existsSync, statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestContext } from "../testing/testContext";
import { sessionCookieName } from "./authCookie";
import { Auth } from "./auth";
import { IDLE_TIMEOUT_MS, SessionStore } from "../store/sessionStore";
import { UserStore } from "../store/userStore";

let ctx: Awaited<ReturnType<typeof createTestContext>>;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => ctx.dispose());

const cookieFor = (token: string) => `other=1; ${sessionCookieName(ctx.auth.port)}=${token}`;

describe("Auth on a real database", () => {
  it("makes the admin once with the setup token, which is then gone from memory and disk", async () => {
    expect(await ctx.auth.needsSetup()).toBe(true);
    const token = (await ctx.auth.issueSetupTokenIfNeeded())!;
    expect(statSync(ctx.auth.setupToken.file).mode & 0o777).toBe(0o600);
    await expect(ctx.auth.setup({ token: "wrong", username: "admin", password: "0123456789" }, "127.0.0.1")).rejects.toMatchObject({ status: 403 });
    const session = await ctx.auth.setup({ token, username: "Admin", password: "0123456789" }, "127.0.0.1");
    expect(session.username).toBe("admin");
    expect(existsSync(ctx.auth.setupToken.file)).toBe(false);
    await expect(ctx.auth.setup({ token, username: "second", password: "0123456789" }, "127.0.0.1")).rejects.toMatchObject({ status: 409 });
    expect(await ctx.auth.issueSetupTokenIfNeeded()).toBeNull();
    // Stored: a scrypt hash and the token's SHA-256, never the password or the token.
    const user = await ctx.db.user.findFirstOrThrow();
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    const row = await ctx.db.session.findFirstOrThrow();
    expect(row.tokenHash).not.toContain(session.token);
    expect(JSON.stringify(row)).not.toContain(session.token);
  });

  it("signs in with the right password only, and a session ends at sign-out", async () => {
    const token = (await ctx.auth.issueSetupTokenIfNeeded())!;
    await ctx.auth.setup({ token, username: "admin", password: `p'"$\` ü密 long enough` }, "127.0.0.1");
    await expect(ctx.auth.login({ username: "admin", password: "nope" }, "10.0.0.1")).rejects.toMatchObject({ status: 401, message: "Wrong user name or password." });
    await expect(ctx.auth.login({ username: "nobody", password: "nope" }, "10.0.0.1")).rejects.toMatchObject({ status: 401, message: "Wrong user name or password." });
    const session = await ctx.auth.login({ username: "ADMIN", password: `p'"$\` ü密 long enough` }, "10.0.0.1");
    expect(await ctx.auth.signedIn(cookieFor(session.token))).toMatchObject({ username: "admin", csrfToken: session.csrfToken });
    expect(await ctx.auth.signedIn(cookieFor(`${session.token}x`))).toBeNull();
    expect(await ctx.auth.signedIn(undefined)).toBeNull();
    await ctx.auth.logout(cookieFor(session.token));
    expect(await ctx.auth.signedIn(cookieFor(session.token))).toBeNull();
  });

  it("answers 429 with the wait once guesses pile up, for the right password too", async () => {
    const token = (await ctx.auth.issueSetupTokenIfNeeded())!;
    await ctx.auth.setup({ token, username: "admin", password: "right password" }, "127.0.0.1");
    for (let i = 0; i < 4; i++) await expect(ctx.auth.login({ username: "admin", password: `guess ${i}` }, "10.0.0.9")).rejects.toMatchObject({ status: 401 });
    await expect(ctx.auth.login({ username: "admin", password: "right password" }, "10.0.0.9")).rejects.toMatchObject({ status: 429, retryAfterSeconds: 1 });
  });

  it("lets a session run out after the idle timeout", async () => {
    let now = Date.now();
    const auth = new Auth(new UserStore(ctx.db), new SessionStore(ctx.db, () => now), ctx.env.dataDir, ctx.auth.port, () => now);
    const token = (await auth.issueSetupTokenIfNeeded())!;
    const session = await auth.setup({ token, username: "admin", password: "0123456789" }, "127.0.0.1");
    now += IDLE_TIMEOUT_MS - 60_000;
    expect(await auth.signedIn(cookieFor(session.token))).not.toBeNull();
    // That request kept it alive for another idle period.
    now += IDLE_TIMEOUT_MS - 60_000;
    expect(await auth.signedIn(cookieFor(session.token))).not.toBeNull();
    now += IDLE_TIMEOUT_MS + 1;
    expect(await auth.signedIn(cookieFor(session.token))).toBeNull();
    expect(await ctx.db.session.count()).toBe(0);
  });
});
