import { chooseBasis, snapshotScope, type BasisCandidate, type RunEstimate } from "@/lib/runs/estimate";
import type { StepStatus } from "@/lib/runs/status";
import type { RunView } from "@/lib/runs/runView";
import type { PrismaClient } from "../db/client";

/** Earlier deployments looked at per kind (this plan's, other plans'), newest first. */
const LOOK_BACK = 20;

/** What verify printed for a step on a host in an earlier deployment. */
export type EarlierVerifyRow = { stepKey: string; hostId: string; hostName: string; runId: string; at: string; verifyOutput: unknown };

/**
 * What earlier deployments tell about this one: how long its steps took (the dashboard's time
 * left) and what verify printed (the report of a run that found steps already done). Reads only.
 */
export class RunHistory {
  constructor(private readonly db: PrismaClient) {}

  /**
   * How long each step took in an earlier deployment that finished, of the same scope as this run
   * (its plan snapshot's): of this run's plan, or else of any plan with the same target system
   * (profile), the newest whose times cover this run's steps (lib/runs/estimate.ts chooseBasis).
   * `basedOn` is null when there is no such deployment; the answer is null when there is no such run.
   */
  async estimate(runId: string): Promise<RunEstimate | null> {
    const run = await this.db.run.findUnique({
      where: { id: runId },
      select: { id: true, planId: true, createdAt: true, planSnapshot: true, plan: { select: { profile: true } }, stepRuns: { select: { stepKey: true } } },
    });
    if (!run) return null;
    const earlier = { kind: "deploy", id: { not: run.id }, createdAt: { lt: run.createdAt }, finishedAt: { not: null } };
    const candidates: BasisCandidate[] = [];
    for (const where of [
      { ...earlier, planId: run.planId },
      { ...earlier, planId: { not: run.planId }, plan: { profile: run.plan.profile } },
    ]) {
      const rows = await this.db.run.findMany({
        where,
        orderBy: { createdAt: "desc" },
        take: LOOK_BACK,
        select: { id: true, planId: true, finishedAt: true, planSnapshot: true, stepRuns: { select: { stepKey: true, status: true, startedAt: true, finishedAt: true } } },
      });
      for (const row of rows) {
        candidates.push({
          runId: row.id,
          planId: row.planId,
          finishedAt: row.finishedAt!.toISOString(),
          scope: snapshotScope(row.planSnapshot),
          stepRuns: row.stepRuns.map((s) => ({ stepKey: s.stepKey, status: s.status as StepStatus, startedAt: s.startedAt?.toISOString() ?? null, finishedAt: s.finishedAt?.toISOString() ?? null })),
        });
      }
    }
    return chooseBasis({ planId: run.planId, scope: snapshotScope(run.planSnapshot), stepKeys: run.stepRuns.map((s) => s.stepKey) }, candidates);
  }

  /**
   * Succeeded step runs of these steps that printed verify output, in the same plan's deployments
   * made up to this run (this one left out), newest first.
   */
  async earlierVerifyOutputs(run: Pick<RunView, "id" | "planId" | "createdAt">, stepKeys: string[]): Promise<EarlierVerifyRow[]> {
    const rows = await this.db.stepRun.findMany({
      where: {
        stepKey: { in: stepKeys },
        status: "succeeded",
        result: { contains: '"verifyOutput"' },
        run: { planId: run.planId, kind: "deploy", id: { not: run.id }, createdAt: { lte: new Date(run.createdAt) } },
      },
      select: { stepKey: true, hostId: true, hostName: true, result: true, finishedAt: true, runId: true, run: { select: { createdAt: true } } },
      orderBy: [{ run: { createdAt: "desc" } }, { finishedAt: "desc" }],
    });
    return rows.map((row) => ({
      stepKey: row.stepKey,
      hostId: row.hostId,
      hostName: row.hostName,
      runId: row.runId,
      at: (row.finishedAt ?? row.run.createdAt).toISOString(),
      verifyOutput: (JSON.parse(row.result ?? "null") as { verifyOutput?: unknown } | null)?.verifyOutput,
    }));
  }
}
