import { setupSchema } from "@/server/auth/auth";
import { clientAddress, signedInResponse } from "@/server/auth/sessionResponse";
import { apiHandler, readJson } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Public, once: makes the admin account with the setup token from the console, and signs it in. */
export const POST = apiHandler(async ({ request, ctx }) => {
  const input = setupSchema.parse(await readJson(request));
  return signedInResponse(request, ctx.auth.port, await ctx.auth.setup(input, clientAddress(request)));
});
