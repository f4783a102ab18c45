import { stepDurations, type RunEstimate } from "@/lib/runs/estimate";
import { apiHandler, notFound } from "@/server/http/apiHandler";

export const dynamic = "force-dynamic";

/** Earlier deployments looked at, newest first, for one whose steps ran. */
const LOOK_BACK = 20;

/**
 * How long each step took in the newest earlier deployment that finished: of this run's plan, or
 * else of any plan with the same target system (profile). The dashboard sums the durations of
 * the steps still to run. `basedOn` is null when there is no such deployment.
 */
export const GET = apiHandler<{ runId: string }>(async ({ params, ctx }): Promise<RunEstimate> => {
  const run = await ctx.db.run.findUnique({ where: { id: params.runId }, select: { id: true, planId: true, createdAt: true, plan: { select: { profile: true } } } });
  if (!run) throw notFound("Run");
  const earlier = { kind: "deploy", id: { not: run.id }, createdAt: { lt: run.createdAt }, finishedAt: { not: null } };
  for (const where of [
    { ...earlier, planId: run.planId },
    { ...earlier, planId: { not: run.planId }, plan: { profile: run.plan.profile } },
  ]) {
    const candidates = await ctx.db.run.findMany({
      where,
      orderBy: { createdAt: "desc" },
      take: LOOK_BACK,
      select: { id: true, planId: true, finishedAt: true, stepRuns: { select: { stepKey: true, status: true, startedAt: true, finishedAt: true } } },
    });
    for (const candidate of candidates) {
      const seconds = stepDurations(
        candidate.stepRuns.map((s) => ({ stepKey: s.stepKey, status: s.status as "succeeded", startedAt: s.startedAt?.toISOString() ?? null, finishedAt: s.finishedAt?.toISOString() ?? null })),
      );
      if (Object.keys(seconds).length > 0) {
        return { basedOn: { runId: candidate.id, samePlan: candidate.planId === run.planId, finishedAt: candidate.finishedAt!.toISOString() }, seconds };
      }
    }
  }
  return { basedOn: null, seconds: {} };
});
