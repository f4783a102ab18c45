import { randomUUID } from "node:crypto";
import { runStatusesBefore, stepStatusesBefore, type RunStatus, type StepStatus } from "@/lib/runs/status";
import { isHostCheckResult, type VirtType } from "@/lib/hostcheck/hostCheckResult";
import type { PortCheckView, RunKind, RunView, StepRunView } from "@/lib/runs/runView";
import type { PrismaClient } from "../db/client";
import type { PlanForRun } from "./planStore";
import { snapshotPlan } from "../plans/planSnapshot";
import { Prisma, type Run, type StepRun } from "../generated/prisma/client";
import type { RunEventHub } from "../realtime/runEventHub";

export type NewStepRun = { stepKey: string; hostId: string; hostName: string };

export type StepPatch = { exitCode?: number | null; error?: string | null; result?: unknown };

/** The states in which a run counts as under way: the database holds one per plan and kind. */
const ACTIVE_RUN_STATUSES: RunStatus[] = ["pending", "running"];

/**
 * Refused by the database: the plan already has a run of this kind under way (started by this
 * process or by any other on the same database). `run` is that run, for the caller to join.
 */
export class ActiveRunExists extends Error {
  override readonly name = "ActiveRunExists";
  constructor(readonly run: RunView) {
    super(`A ${run.kind} run of this plan is already under way: ${run.id}.`);
  }
}

/**
 * Runs and step runs in SQLite. Every status change is a guarded update: it only happens when the
 * row is in a state the transition table allows, and it is published after it is stored.
 */
export class RunStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly hub: RunEventHub,
  ) {}

  /**
   * A new pending run of a plan, remembering the plan as it is now, with its step runs. Throws
   * ActiveRunExists when the plan has a pending or running run of this kind already: a unique
   * index on the table refuses the second one, whichever process asks.
   */
  async create(input: { plan: Pick<PlanForRun, "view" | "secretsSetAt">; kind: RunKind; steps: NewStepRun[] }): Promise<RunView> {
    const runId = randomUUID();
    const planId = input.plan.view.id;
    const { snapshot, hash } = snapshotPlan(input.plan.view, input.plan.secretsSetAt);
    const insert = () =>
      this.db.run.create({
        data: {
          id: runId,
          planId,
          kind: input.kind,
          status: "pending",
          planSnapshot: snapshot,
          planHash: hash,
          stepRuns: {
            create: input.steps.map((step, position) => ({ id: randomUUID(), position, status: "pending", ...step })),
          },
        },
      });
    try {
      await insert();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const active = await this.activeRun(planId, input.kind);
      if (active) throw new ActiveRunExists(active);
      // The run in the way finished between the insert and the look-up: the slot is free now.
      await insert();
    }
    return (await this.get(runId))!;
  }

  /** The plan's pending or running run of a kind, if any. */
  async activeRun(planId: string, kind: RunKind): Promise<RunView | null> {
    const run = await this.db.run.findFirst({ where: { planId, kind, status: { in: ACTIVE_RUN_STATUSES } }, select: { id: true } });
    return run ? this.get(run.id) : null;
  }

  /** A resumed run goes on with the plan as it is now (the operator saw what changed). */
  async replacePlanSnapshot(runId: string, plan: Pick<PlanForRun, "view" | "secretsSetAt">): Promise<void> {
    const { snapshot, hash } = snapshotPlan(plan.view, plan.secretsSetAt);
    await this.db.run.update({ where: { id: runId }, data: { planSnapshot: snapshot, planHash: hash } });
  }

  /** The plan a run ran, as it was then (no secrets). */
  async planSnapshot(runId: string): Promise<string | null> {
    return (await this.db.run.findUnique({ where: { id: runId }, select: { planSnapshot: true } }))?.planSnapshot ?? null;
  }

  /** Stores a port check of a run and publishes it (the port matrix), as step moves are. */
  async recordPortCheck(runId: string, check: PortCheckView): Promise<void> {
    await this.db.portCheck.create({ data: { runId, ...check, checkedAt: new Date(check.checkedAt) } });
    this.hub.publishPortCheck(runId, check);
  }

  async portChecks(runId: string): Promise<PortCheckView[]> {
    const rows = await this.db.portCheck.findMany({ where: { runId }, orderBy: { id: "asc" } });
    return rows.map((r) => ({ fromHost: r.fromHost, toHost: r.toHost, port: r.port, open: r.open, error: r.error, checkedAt: r.checkedAt.toISOString() }));
  }

  async get(runId: string): Promise<RunView | null> {
    const run = await this.db.run.findUnique({ where: { id: runId }, include: { stepRuns: { orderBy: { position: "asc" } } } });
    return run ? { ...toRunSummary(run), stepRuns: run.stepRuns.map(toStepRunView) } : null;
  }

  async exists(runId: string): Promise<boolean> {
    return (await this.db.run.count({ where: { id: runId } })) > 0;
  }

  /** Which host each step run of a run is on (for the log download); null when there is no such run. */
  async stepRunHosts(runId: string): Promise<{ id: string; hostName: string }[] | null> {
    if (!(await this.exists(runId))) return null;
    return this.db.stepRun.findMany({ where: { runId }, select: { id: true, hostName: true } });
  }

  async latest(planId: string, kind?: RunKind): Promise<RunView | null> {
    const run = await this.db.run.findFirst({ where: { planId, kind }, orderBy: { createdAt: "desc" }, select: { id: true } });
    return run ? this.get(run.id) : null;
  }

  /**
   * What the plan's latest finished check of each host decided about its hypervisor (the KVM
   * probe's verdict), by host id. A host never checked, or whose last check failed, is absent.
   */
  async checkedVirtTypes(planId: string): Promise<Map<string, VirtType>> {
    const rows = await this.db.stepRun.findMany({
      where: { run: { planId, kind: "host-check" }, status: { in: ["succeeded", "failed"] } },
      orderBy: { finishedAt: "desc" },
      select: { hostId: true, status: true, result: true },
    });
    const decided = new Map<string, VirtType>();
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.hostId)) continue;
      seen.add(row.hostId);
      const result: unknown = row.status === "succeeded" && row.result ? JSON.parse(row.result) : null;
      if (isHostCheckResult(result)) decided.set(row.hostId, result.virtType);
    }
    return decided;
  }

  /** Moves a run to `to`; false when its current state does not allow it. */
  async moveRun(runId: string, to: RunStatus, error: string | null = null): Promise<boolean> {
    const now = new Date();
    const { count } = await this.db.run.updateMany({
      where: { id: runId, status: { in: runStatusesBefore(to) } },
      data: {
        status: to,
        error,
        version: { increment: 1 },
        ...(to === "running" ? { startedAt: now, finishedAt: null } : { finishedAt: now }),
      },
    });
    if (count === 1) {
      const run = await this.db.run.findUniqueOrThrow({ where: { id: runId } });
      this.hub.publishStatus(toRunSummary(run));
    }
    return count === 1;
  }

  /** Moves a step run to `to`; null when its current state does not allow it. */
  async moveStep(stepRunId: string, to: StepStatus, patch: StepPatch = {}): Promise<StepRunView | null> {
    const now = new Date();
    // One statement (UPDATE … RETURNING): every step run moves twice, and this is on the runner's path.
    const [moved] = await this.db.stepRun.updateManyAndReturn({
      where: { id: stepRunId, status: { in: stepStatusesBefore(to) } },
      data: {
        status: to,
        version: { increment: 1 },
        ...(to === "running" ? { startedAt: now, finishedAt: null, attempt: { increment: 1 }, error: null, exitCode: null } : {}),
        ...(to !== "running" && to !== "pending" ? { finishedAt: now } : {}),
        ...("exitCode" in patch ? { exitCode: patch.exitCode } : {}),
        ...("error" in patch ? { error: patch.error } : {}),
        ...("result" in patch ? { result: JSON.stringify(patch.result) } : {}),
      },
    });
    if (!moved) return null;
    const view = toStepRunView(moved);
    this.hub.publishStep(view);
    return view;
  }

  /**
   * At start, by the server that holds the data directory's lock (server/process/serverLock.ts),
   * so nothing is executing any more: runs left pending or running and the steps
   * that were running are marked interrupted, with the reason, so the dashboard never shows a run
   * "running" forever. Steps that had not started stay pending: a resume runs them.
   */
  async interruptLeftovers(reason: string): Promise<number> {
    const now = new Date();
    await this.db.stepRun.updateMany({
      where: { status: "running", run: { status: { in: ACTIVE_RUN_STATUSES } } },
      data: { status: "interrupted", error: reason, finishedAt: now, version: { increment: 1 } },
    });
    const { count } = await this.db.run.updateMany({
      where: { status: { in: ACTIVE_RUN_STATUSES } },
      data: { status: "interrupted", error: reason, finishedAt: now, version: { increment: 1 } },
    });
    return count;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function toRunSummary(run: Run): Omit<RunView, "stepRuns"> {
  return {
    id: run.id,
    planId: run.planId,
    kind: run.kind as RunKind,
    status: run.status as RunStatus,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    version: run.version,
  };
}

function toStepRunView(step: StepRun): StepRunView {
  return {
    id: step.id,
    runId: step.runId,
    stepKey: step.stepKey,
    hostId: step.hostId,
    hostName: step.hostName,
    position: step.position,
    status: step.status as StepStatus,
    attempt: step.attempt,
    exitCode: step.exitCode,
    error: step.error,
    result: step.result ? JSON.parse(step.result) : null,
    startedAt: iso(step.startedAt),
    finishedAt: iso(step.finishedAt),
    version: step.version,
  };
}
