import { randomUUID } from "node:crypto";
import { readLabRootPassword, readLabState } from "@/lab/state";
import { ApiError, apiHandler, notFound } from "@/server/http/apiHandler";
import { localLabPlanUpdate } from "@/server/lab/localLabPlan";

export const dynamic = "force-dynamic";

/** "Use the local lab": fills the plan's hosts and credentials from the running lab, server-side. */
export const POST = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  const plan = await ctx.plans.get(params.planId);
  if (!plan) throw notFound("Plan");
  const [lab, password] = await Promise.all([readLabState(), readLabRootPassword()]);
  if (!lab || !password) throw new ApiError(409, { error: "The local lab is not running. Start it with `npm run lab:up` (as root), then try again." });
  return ctx.plans.update(plan.id, localLabPlanUpdate(plan, lab, password, randomUUID));
});
