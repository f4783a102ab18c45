import type { SessionView } from "@/server/auth/sessionResponse";
import { ApiError, apiHandler } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Who is signed in, and the CSRF token the page sends with every request that changes something. */
export const GET = apiHandler(async ({ request, ctx }) => {
  const session = await ctx.auth.signedIn(request.headers.get("cookie"));
  if (!session) throw new ApiError(401, { error: "Sign in first: this StackPilot needs a session." });
  const view: SessionView = { username: session.username, csrfToken: session.csrfToken };
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
});
