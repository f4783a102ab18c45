import type { HostCheckResult, HostKeyChangedResult } from "@/lib/hostcheck/hostCheckResult";
import type { RunView, StepRunView } from "@/lib/runs/runView";
import type { LogWriter } from "../logs/logWriter";
import { Redactor } from "../logs/redactor";
import { StepLog } from "../logs/stepLog";
import type { PlanForRun } from "../store/planStore";
import { ActiveRuns } from "../runs/activeRuns";
import { ActiveRunExists, type RunStore } from "../store/runStore";
import { HostKeyChangedError, SshError } from "../ssh/sshErrors";
import { hostAccessFor, type HostAccess } from "../ssh/hostAccess";
import type { HostKeyPinStore } from "../ssh/hostKeyPins";
import type { SshSession, SshSessionOptions } from "../ssh/sshSession";
import { describeTarget } from "../ssh/sshTarget";
import { decideVirtType, evaluateHostFacts } from "./evaluateHostFacts";
import { hostCheckScript } from "./hostCheckScript";
import { parseHostFacts } from "./parseHostFacts";

export const HOST_CHECK_STEP = "preflight.host-check";
const SCRIPT_TIMEOUT_MS = 30_000;
const LEVEL_MARK = { ok: "✓", warn: "!", fail: "✗" } as const;

/**
 * "Check hosts": connects to every host of a plan in parallel and reports what it finds, one
 * step run per host. Read-only on the hosts.
 */
export class HostCheckJob {
  /** The check under way per plan: a second click joins it instead of starting another. */
  private readonly active = new ActiveRuns("Host check");

  constructor(
    private readonly runs: RunStore,
    private readonly logs: LogWriter,
    private readonly ssh: SshSessionOptions,
    /** Where the plans' host keys are pinned (the plan store). */
    private readonly pins: HostKeyPinStore,
  ) {}

  /** Starts a check and returns its run at once; the work goes on in the background. */
  async start(plan: PlanForRun): Promise<RunView> {
    const reservation = this.active.reserve(plan.view.id);
    if (!reservation) {
      const runningId = await this.active.runIdFor(plan.view.id);
      if (runningId) return (await this.runs.get(runningId))!;
      return this.start(plan);
    }
    try {
      const run = await this.runs.create({
        plan,
        kind: "host-check",
        steps: plan.view.hosts.map((host) => ({ stepKey: HOST_CHECK_STEP, hostId: host.id, hostName: host.name.trim() })),
      });
      await this.logs.openRun(run.id);
      reservation.track(run.id, this.execute(run, plan));
      return run;
    } catch (error) {
      reservation.release();
      // The database holds a check of this plan under way that this process did not start: join it.
      if (error instanceof ActiveRunExists) return error.run;
      throw error;
    }
  }

  /** Resolves when every check under way has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    await this.active.idle();
  }

  private async execute(run: RunView, plan: PlanForRun): Promise<void> {
    await this.runs.moveRun(run.id, "running");
    const redactor = new Redactor(plan.secretValues);
    const access = hostAccessFor(plan, this.pins);
    const outcomes = await Promise.all(run.stepRuns.map((step) => this.checkHost(run.id, step, plan, access, redactor)));
    const failed = outcomes.filter((ok) => !ok).length;
    await this.logs.closeRun(run.id);
    await this.runs.moveRun(
      run.id,
      failed === 0 ? "succeeded" : "failed",
      failed === 0 ? null : `${failed} of ${outcomes.length} host${outcomes.length === 1 ? "" : "s"} could not be checked.`,
    );
  }

  private async checkHost(runId: string, step: StepRunView, plan: PlanForRun, access: HostAccess, redactor: Redactor): Promise<boolean> {
    const host = plan.view.hosts.find((h) => h.id === step.hostId)!;
    const target = access.targets.get(host.id)!;
    const log = new StepLog(this.logs, runId, step.id, redactor);

    await this.runs.moveStep(step.id, "running");
    log.system(`Connecting to ${describeTarget(target)} …`);
    let session: SshSession | undefined;
    try {
      const connectStart = Date.now();
      const pinned = access.hostKeys.pinned(host.id);
      session = await access.hostKeys.connect(host.id, target, this.ssh);
      const connectMs = Date.now() - connectStart;
      log.system(`Connected in ${connectMs} ms; host key ${session.hostKeyFingerprint}${pinned ? " (as pinned)" : " (pinned now: later connections must show this key)"}`);

      const script = hostCheckScript({
        ips: [...new Set([host.managementIp.trim(), host.natIp.trim()])],
        otherHostNames: plan.view.hosts.filter((h) => h.id !== host.id).map((h) => h.name.trim()),
      });
      let output = "";
      const stderr = log.stream("stderr");
      const execStart = Date.now();
      let firstOutputAt: number | undefined;
      const result = await session.exec(
        script,
        {
          onStdout: (chunk) => {
            firstOutputAt ??= Date.now();
            output += chunk.toString("utf8");
          },
          onStderr: (chunk) => stderr.push(chunk),
        },
        SCRIPT_TIMEOUT_MS,
      );
      stderr.end();
      // The host printed its clock first: compare it with the middle of the round trip.
      const facts = parseHostFacts(output, (execStart + (firstOutputAt ?? Date.now())) / 2);
      const findings = evaluateHostFacts(facts, host, plan.view);
      for (const finding of findings) log.system(`${LEVEL_MARK[finding.level]} ${finding.message}`);
      const checkResult: HostCheckResult = { facts, findings, virtType: decideVirtType(facts.virtualization), hostKeyFingerprint: session.hostKeyFingerprint, connectMs };
      await this.runs.moveStep(step.id, "succeeded", { exitCode: result.exitCode, result: checkResult });
      return true;
    } catch (error) {
      const message = log.redact(error instanceof SshError ? error.message : `The host check failed: ${String(error)}`);
      log.system(`✗ ${message}`);
      const result: HostKeyChangedResult | undefined = error instanceof HostKeyChangedError ? { hostKeyChanged: { pinned: error.pinned, presented: error.presented } } : undefined;
      await this.runs.moveStep(step.id, "failed", { error: message, ...(result ? { result } : {}) });
      return false;
    } finally {
      session?.close();
    }
  }
}
