import { signedOutResponse } from "@/server/auth/sessionResponse";
import { apiHandler } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Ends this browser's session (the cookie is cleared and the session deleted on the server). */
export const POST = apiHandler(async ({ request, ctx }) => {
  await ctx.auth.logout(request.headers.get("cookie"));
  return signedOutResponse(ctx.auth.port);
});
