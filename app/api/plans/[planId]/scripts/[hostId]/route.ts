import { buildPlaybook } from "@/lib/playbook/buildPlaybook";
import { playbookInputFromPlan } from "@/lib/playbook/playbookInput";
import { renderHostScript } from "@/lib/playbook/renderScript";
import { apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** One host's whole playbook as a standalone bash script (secrets read from the environment). */
export const GET = apiHandler<{ planId: string; hostId: string }>(async ({ params, ctx }) => {
  const plan = await ctx.plans.get(params.planId);
  if (!plan) throw notFound("Plan");
  const input = playbookInputFromPlan(plan);
  const host = input.hosts.find((h) => h.id === params.hostId);
  if (!host) throw notFound("Host");
  return new Response(renderHostScript(buildPlaybook(input), host, input), {
    headers: { "content-type": "text/x-shellscript; charset=utf-8", "content-disposition": `attachment; filename="stackpilot-${host.name}.sh"` },
  });
});
