import { randomBytes } from "node:crypto";
import type { AppContext } from "../context";
import { sessionCookieName } from "../auth/authCookie";

/**
 * Signs in the way the first person does (setup token, then the admin account) and returns the
 * Cookie header and CSRF token a client sends with its requests.
 */
export async function signInForTests(ctx: Pick<AppContext, "auth">): Promise<{ cookie: string; csrfToken: string }> {
  const token = await ctx.auth.issueSetupTokenIfNeeded();
  if (!token) throw new Error("This context has an account already.");
  const session = await ctx.auth.setup({ token, username: "admin", password: randomBytes(12).toString("hex") }, "127.0.0.1");
  return { cookie: `${sessionCookieName(ctx.auth.port)}=${session.token}`, csrfToken: session.csrfToken };
}
