import { apiHandler } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Public: whether the admin account still has to be made (the sign-in page shows the setup form). */
export const GET = apiHandler(async ({ ctx }) => ({ needsSetup: await ctx.auth.needsSetup() }));
