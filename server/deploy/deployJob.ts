import { allSteps, buildPlaybook, hostsForStep } from "@/lib/playbook/buildPlaybook";
import { playbookInputFromPlan } from "@/lib/playbook/playbookInput";
import { SERVICE_SECRETS, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import type { Playbook, Step } from "@/lib/playbook/types";
import type { RunView } from "@/lib/runs/runView";
import type { LogWriter } from "../logs/logWriter";
import { Redactor } from "../logs/redactor";
import type { PlanForRun } from "../plans/planRepository";
import { ActiveRuns } from "../runs/activeRuns";
import type { RunStore } from "../runs/runStore";
import type { SshSessionOptions } from "../ssh/sshSession";
import { HostSessions } from "./hostSessions";
import type { RunScope, StepExecutor } from "./stepExecutor";

/** Refused before anything runs: the message says what to fix. */
export class DeployRefused extends Error {
  constructor(
    message: string,
    readonly missingSecrets: ServiceSecret[] = [],
  ) {
    super(message);
  }
}

/** How many hosts run a step at the same time. */
const HOST_CONCURRENCY = 16;

/**
 * A deployment: the playbook's steps in order, each on all its hosts in parallel; the first
 * failure stops the run (the steps after it stay pending). One run at a time per plan.
 */
export class DeployJob {
  private readonly active = new ActiveRuns();

  constructor(
    private readonly runs: RunStore,
    private readonly logs: LogWriter,
    private readonly executor: StepExecutor,
    private readonly ssh: SshSessionOptions,
  ) {}

  async start(plan: PlanForRun): Promise<{ run: RunView; alreadyRunning: boolean }> {
    const runningId = this.active.runIdFor(plan.view.id);
    if (runningId) return { run: (await this.runs.get(runningId))!, alreadyRunning: true };

    const input = playbookInputFromPlan(plan.view);
    const playbook = buildPlaybook(input);
    const missing = SERVICE_SECRETS.filter((name) => !plan.serviceSecrets[name] && usesSecret(playbook, name));
    if (missing.length > 0) throw new DeployRefused(`Set these passwords first: ${missing.join(", ")}.`, missing);

    const run = await this.runs.create({
      plan: plan.view,
      kind: "deploy",
      steps: allSteps(playbook).flatMap(({ step }) => hostsForStep(step, input.hosts).map((host) => ({ stepKey: step.key, hostId: host.id, hostName: host.name }))),
    });
    await this.logs.openRun(run.id);
    const scope: RunScope = {
      runId: run.id,
      input,
      secrets: plan.serviceSecrets,
      variables: new Map(),
      sessions: new HostSessions(plan.targets, this.ssh),
      redactor: new Redactor(plan.secretValues),
    };
    this.active.track(plan.view.id, run.id, "Deployment", this.execute(run, playbook, scope), () => scope.sessions.closeAll());
    return { run, alreadyRunning: false };
  }

  async idle(): Promise<void> {
    await this.active.idle();
  }

  private async execute(run: RunView, playbook: Playbook, scope: RunScope): Promise<void> {
    await this.runs.moveRun(run.id, "running");
    let failure: string | null = null;
    for (const { step } of allSteps(playbook)) {
      const stepRuns = run.stepRuns.filter((s) => s.stepKey === step.key);
      const outcomes = await mapLimited(stepRuns, HOST_CONCURRENCY, (stepRun) =>
        this.executor.run(scope, stepRun, step, scope.input.hosts.find((h) => h.id === stepRun.hostId)!),
      );
      const failedHosts = stepRuns.filter((_, i) => !outcomes[i]).map((s) => s.hostName);
      if (failedHosts.length > 0) {
        failure = `Stopped at "${step.title}" on ${failedHosts.join(", ")}.`;
        break;
      }
    }
    await this.logs.closeRun(run.id);
    await this.runs.moveRun(run.id, failure ? "failed" : "succeeded", failure);
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
