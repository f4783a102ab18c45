import { credentialsSchema } from "@/server/auth/auth";
import { clientAddress, signedInResponse } from "@/server/auth/sessionResponse";
import { apiHandler, readJson } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Public: signs in. Wrong guesses are slowed down (429 with Retry-After, see loginThrottle.ts). */
export const POST = apiHandler(async ({ request, ctx }) => {
  const input = credentialsSchema.parse(await readJson(request));
  return signedInResponse(request, ctx.auth.port, await ctx.auth.login(input, clientAddress(request)));
});
