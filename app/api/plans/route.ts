import { apiHandler } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** A new plan with the tutorial's topology. */
export const POST = apiHandler(async ({ ctx }) => Response.json(await ctx.plans.createTutorialPlan(), { status: 201 }));
