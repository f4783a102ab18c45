import { setMaxListeners } from "node:events";
import { allSteps, hostsForStep } from "@/lib/playbook/buildPlaybook";
import { playbookInputFromPlan, type PlaybookInput } from "@/lib/playbook/playbookInput";
import { serviceSecretsFor, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import type { Playbook, Step } from "@/lib/playbook/types";
import { diffPlans, sameHosts, type PlanChange, type PlanSnapshot } from "@/lib/plan/planDiff";
import type { PlanView } from "@/lib/plan/planView";
import type { RunOutline, RunView, StepRunView } from "@/lib/runs/runView";
import { isResumable, isStepDone } from "@/lib/runs/status";
import type { LogWriter } from "../logs/logWriter";
import { Redactor } from "../logs/redactor";
import { StepLog } from "../logs/stepLog";
import { snapshotPlan } from "../plans/planSnapshot";
import type { ImageStore } from "../store/imageStore";
import type { PlanForRun } from "../store/planStore";
import { ActiveRuns, type Reservation } from "../runs/activeRuns";
import { ActiveRunExists, type RunStore } from "../store/runStore";
import { hostAccessFor } from "../ssh/hostAccess";
import type { HostKeyPinStore } from "../ssh/hostKeyPins";
import type { SshSessionOptions } from "../ssh/sshSession";
import { HostSessions } from "./hostSessions";
import { virtTypesOf, withVirtTypes } from "./virtTypes";
import type { RunScope, StepExecutor } from "./stepExecutor";

/** What a deployment runs for a plan: the OpenStack playbook, or a test's own steps. */
export type PlaybookSource = (input: PlaybookInput) => Playbook;

/** Refused before anything runs: the message says what to fix. */
export class DeployRefused extends Error {
  override readonly name = "DeployRefused";
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
    readonly details: { missingSecrets?: ServiceSecret[]; planChanges?: PlanChange[]; run?: RunView } = {},
  ) {
    super(message);
  }
}

/**
 * How many hosts run a step at the same time. A step waits for its slowest host, so a plan with
 * more hosts than this runs every step in two waves or more (at 16, a 20-host step took two).
 */
const HOST_CONCURRENCY = 64;

export type ResumeOptions = {
  /** Retry only this step run, then pause (the other unfinished steps wait for a resume). */
  onlyStepRunId?: string;
  /** The operator saw how the plan changed since the run started and wants to go on with it. */
  acceptPlanChanges?: boolean;
};

/**
 * Deployments: the playbook's steps in order, each on all its hosts in parallel; the first failure
 * stops the run (the steps after it stay pending). A stopped run is resumed where it stopped:
 * steps done stay done, the unfinished ones run again as a new attempt. One run at a time per plan:
 * this process's slots answer at once, the database's unique index backs them (RunStore.create).
 */
export class DeployJob {
  private readonly active = new ActiveRuns("Deployment");
  /** The live runs' scopes, to cancel them. */
  private readonly scopes = new Map<string, RunScope>();

  constructor(
    private readonly runs: RunStore,
    private readonly logs: LogWriter,
    private readonly executor: StepExecutor,
    private readonly ssh: SshSessionOptions,
    /** Where the plans' host keys are pinned (the plan store). */
    private readonly pins: HostKeyPinStore,
    private readonly playbookFor: PlaybookSource,
    /** Where the plan's uploaded image is, for a step that sends it (Step.upload). */
    private readonly images: Pick<ImageStore, "file">,
  ) {}

  async start(checkedPlan: PlanForRun): Promise<{ run: RunView; alreadyRunning: boolean }> {
    const reservation = this.active.reserve(checkedPlan.view.id);
    if (!reservation) return { run: await this.runningRun(checkedPlan.view.id), alreadyRunning: true };
    try {
      // Each compute's hypervisor as its latest host check decided it, recorded in the run's snapshot.
      const plan = withVirtTypes(checkedPlan, await this.runs.checkedVirtTypes(checkedPlan.view.id));
      const { input, playbook } = this.prepare(plan);
      const run = await this.runs.create({
        plan,
        kind: "deploy",
        steps: allSteps(playbook).flatMap(({ step }) => hostsForStep(step, input.hosts).map((host) => ({ stepKey: step.key, hostId: host.id, hostName: host.name }))),
      });
      this.launch(reservation, run, plan, input, playbook, {});
      return { run, alreadyRunning: false };
    } catch (error) {
      reservation.release();
      // The database holds a run of this plan under way that this process did not start.
      if (error instanceof ActiveRunExists) return { run: error.run, alreadyRunning: true };
      throw error;
    }
  }

  /**
   * Goes on with a failed, cancelled, interrupted or paused run from its first unfinished step,
   * with the plan as it is now. If the plan changed since the run started, refuses with the list
   * of changes unless the operator accepted them.
   */
  async resume(runId: string, planNow: PlanForRun, options: ResumeOptions = {}): Promise<RunView> {
    const reservation = this.active.reserve(planNow.view.id);
    if (!reservation) {
      throw new DeployRefused("A deployment of this plan is already running.", 409, { run: await this.runningRun(planNow.view.id) });
    }
    try {
      const run = await this.resumableRun(runId, planNow.view.id);
      const before = JSON.parse((await this.runs.planSnapshot(runId))!) as PlanSnapshot;
      // The run goes on with the hypervisors it decided when it started.
      const plan = withVirtTypes(planNow, virtTypesOf(before));
      const now = JSON.parse(snapshotPlan(plan.view, plan.secretsSetAt).snapshot) as PlanSnapshot;
      const changes = diffPlans(before, now);
      if (!sameHosts(before, now)) {
        throw new DeployRefused("Hosts were added, removed or given another role since this run started. Start a new deployment instead: steps already done are skipped.", 409, { planChanges: changes });
      }
      if (changes.length > 0 && !options.acceptPlanChanges) {
        throw new DeployRefused("The plan changed since this run started.", 409, { planChanges: changes });
      }
      const { input, playbook } = this.prepare(plan);
      const wanted = new Set(allSteps(playbook).flatMap(({ step }) => hostsForStep(step, input.hosts).map((h) => `${step.key}@${h.id}`)));
      const held = new Set(run.stepRuns.map((s) => `${s.stepKey}@${s.hostId}`));
      if (wanted.size !== held.size || [...wanted].some((key) => !held.has(key))) {
        throw new DeployRefused("With the plan as it is now the playbook has other steps than this run. Start a new deployment instead: steps already done are skipped.", 409);
      }

      const retried = options.onlyStepRunId ? run.stepRuns.filter((s) => s.id === options.onlyStepRunId) : run.stepRuns.filter((s) => !isStepDone(s.status));
      if (options.onlyStepRunId && (retried.length === 0 || isStepDone(retried[0].status) && retried[0].status !== "manual")) {
        throw new DeployRefused("Only a step that failed, was cancelled or interrupted, or was marked done by hand can be retried.", 409);
      }
      if (changes.length > 0) await this.runs.replacePlanSnapshot(runId, plan);
      for (const stepRun of retried) if (stepRun.status !== "pending") await this.runs.moveStep(stepRun.id, "pending");

      const resumed = (await this.runs.get(runId))!;
      const note = options.onlyStepRunId ? `Retrying "${retried[0].stepKey}" on ${retried[0].hostName}.` : "Resuming from the first unfinished step.";
      const changed = changes.length > 0 ? ` The plan changed since the run started: ${changes.map((c) => c.what).join(", ")}.` : "";
      this.launch(reservation, resumed, plan, input, playbook, { onlyStepRunId: options.onlyStepRunId, note: note + changed });
      return resumed;
    } catch (error) {
      reservation.release();
      throw error;
    }
  }

  /**
   * Records that the operator did a step by hand: it counts as done and the run goes past it.
   * Only while the run is not running; a run whose every step is then done has succeeded.
   */
  async markDone(runId: string, stepRunId: string, planId: string): Promise<RunView> {
    if (this.active.isBusy(planId)) throw new DeployRefused("Wait for the running deployment to stop first.", 409);
    const run = await this.resumableRun(runId, planId);
    const stepRun = run.stepRuns.find((s) => s.id === stepRunId);
    if (!stepRun) throw new DeployRefused("No such step in this run.", 404);
    const marked = await this.runs.moveStep(stepRunId, "manual", { error: null, result: { markedDoneAt: new Date().toISOString() } });
    if (!marked) throw new DeployRefused(`"${stepRun.stepKey}" on ${stepRun.hostName} is ${stepRun.status}; only an unfinished step can be marked as done by hand.`, 409);
    await this.logs.openRun(runId);
    this.logs.append(runId, stepRunId, "system", `✓ Marked as done by hand by the operator (attempt ${stepRun.attempt}).`);
    await this.logs.closeRun(runId);
    const after = (await this.runs.get(runId))!;
    if (after.stepRuns.every((s) => isStepDone(s.status))) await this.runs.moveRun(runId, "succeeded");
    return (await this.runs.get(runId))!;
  }

  /**
   * Stops a running deployment: the remote commands under way are killed, their steps marked
   * cancelled once the processes are gone, and nothing further starts.
   */
  async cancel(runId: string): Promise<boolean> {
    const scope = this.scopes.get(runId);
    if (!scope) return false;
    scope.abort.abort();
    return true;
  }

  /** The phases and step titles of the playbook a deployment ran, rebuilt from its plan snapshot. */
  outline(planSnapshot: string): RunOutline {
    const plan = JSON.parse(planSnapshot) as Pick<PlanView, "profile" | "hosts" | "settings">;
    const playbook = this.playbookFor(playbookInputFromPlan(plan));
    return playbook.phases.map((phase) => ({ key: phase.key, title: phase.title, steps: phase.steps.map((s) => ({ key: s.key, title: s.title })) }));
  }

  async idle(): Promise<void> {
    await this.active.idle();
  }

  private prepare(plan: PlanForRun): { input: PlaybookInput; playbook: Playbook } {
    const input = playbookInputFromPlan(plan.view);
    const playbook = this.playbookFor(input);
    const missing = serviceSecretsFor(input.scope).filter((name) => !plan.serviceSecrets[name] && usesSecret(playbook, name));
    if (missing.length > 0) throw new DeployRefused(`Set these passwords first: ${missing.join(", ")}.`, 400, { missingSecrets: missing });
    return { input, playbook };
  }

  private async runningRun(planId: string): Promise<RunView> {
    const runId = await this.active.runIdFor(planId);
    const run = runId ? await this.runs.get(runId) : null;
    if (!run) throw new DeployRefused("A deployment of this plan is being started; try again in a moment.", 409);
    return run;
  }

  private async resumableRun(runId: string, planId: string): Promise<RunView> {
    const run = await this.runs.get(runId);
    if (!run || run.kind !== "deploy" || run.planId !== planId) throw new DeployRefused("No such deployment of this plan.", 404);
    if (!isResumable(run.status)) throw new DeployRefused(`This deployment has ${run.status}; there is nothing to resume.`, 409, { run });
    return run;
  }

  private launch(reservation: Reservation, run: RunView, plan: PlanForRun, input: PlaybookInput, playbook: Playbook, options: { onlyStepRunId?: string; note?: string }) {
    const abort = new AbortController();
    // Every command under way listens to it (and a port probe's may too): not a leak.
    setMaxListeners(4 * HOST_CONCURRENCY, abort.signal);
    const scope: RunScope = {
      runId: run.id,
      input,
      secrets: plan.serviceSecrets,
      variables: new Map(),
      sessions: new HostSessions(hostAccessFor(plan, this.pins), this.ssh),
      redactor: new Redactor(plan.secretValues),
      abort,
      planImage: () => this.images.file(run.planId),
    };
    this.scopes.set(run.id, scope);
    const work = this.logs.openRun(run.id).then(() => this.execute(run, playbook, scope, options));
    reservation.track(run.id, work, () => {
      this.scopes.delete(run.id);
      scope.sessions.closeAll();
    });
  }

  private async execute(run: RunView, playbook: Playbook, scope: RunScope, options: { onlyStepRunId?: string; note?: string }): Promise<void> {
    await this.runs.moveRun(run.id, "running");
    const runLog = new StepLog(this.logs, run.id, null, scope.redactor);
    if (options.note) runLog.system(options.note);
    let outcome: { status: "failed" | "cancelled" | "paused" | "succeeded"; error: string | null } = { status: "succeeded", error: null };
    for (const { step } of allSteps(playbook)) {
      const stepRuns = run.stepRuns.filter((s) => s.stepKey === step.key);
      const host = (stepRun: StepRunView) => scope.input.hosts.find((h) => h.id === stepRun.hostId)!;
      const toRun = stepRuns.filter((s) => (options.onlyStepRunId ? s.id === options.onlyStepRunId : s.status === "pending"));
      if (toRun.length === 0) {
        // Done in an earlier attempt: later steps may still need what it printed (its outputs).
        if (!options.onlyStepRunId && step.outputs) {
          for (const stepRun of stepRuns) await this.executor.restoreOutputs(scope, step, host(stepRun));
        }
        continue;
      }
      const outcomes = await mapLimited(toRun, HOST_CONCURRENCY, (stepRun) => (scope.abort.signal.aborted ? this.executor.cancelPending(stepRun) : this.executor.run(scope, stepRun, step, host(stepRun))));
      if (scope.abort.signal.aborted) {
        outcome = { status: "cancelled", error: `Cancelled at "${step.title}".` };
        break;
      }
      const failedHosts = toRun.filter((_, i) => !outcomes[i]).map((s) => s.hostName);
      if (failedHosts.length > 0) {
        outcome = { status: "failed", error: `Stopped at "${step.title}" on ${failedHosts.join(", ")}.` };
        break;
      }
      if (options.onlyStepRunId) break;
    }
    await this.logs.closeRun(run.id);
    if (outcome.status === "succeeded") {
      const after = (await this.runs.get(run.id))!;
      if (!after.stepRuns.every((s) => isStepDone(s.status))) outcome = { status: "paused", error: "The retried step is done; resume to go on with the rest." };
    }
    await this.runs.moveRun(run.id, outcome.status, outcome.error);
  }
}

function usesSecret(playbook: Playbook, name: ServiceSecret): boolean {
  return allSteps(playbook).some(({ step }) => scriptsOf(step).some((script) => script.secrets.includes(name)));
}

function scriptsOf(step: Step) {
  return [step.check, step.apply, step.verify, step.outputs?.script].filter((s) => s !== undefined);
}

/** Runs fn over items with at most `limit` at a time; results in item order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
