import type { PlaybookHost, PlaybookInput } from "@/lib/playbook/playbookInput";
import { hostVariables, scriptForRunner } from "@/lib/playbook/renderScript";
import type { ServiceSecret } from "@/lib/playbook/serviceSecrets";
import type { PortExpectation, Script, Step, StepUpload } from "@/lib/playbook/types";
import { formatBytes } from "@/lib/plan/planImage";
import type { StepRunView } from "@/lib/runs/runView";
import type { LogWriter } from "../logs/logWriter";
import type { Redactor } from "../logs/redactor";
import { StepLog } from "../logs/stepLog";
import type { RunEventHub } from "../realtime/runEventHub";
import type { StoredImageFile } from "../store/imageStore";
import type { RunStore } from "../store/runStore";
import { sendFile } from "../ssh/fileTransfer";
import { SshError } from "../ssh/sshErrors";
import type { HostSessions } from "./hostSessions";
import { collectTriage } from "./triage";
import { probeFromHost, probeFromWizard } from "./portProbe";

/** What one run shares between its step runs. */
export type RunScope = {
  runId: string;
  input: PlaybookInput;
  secrets: Partial<Record<ServiceSecret, string>>;
  /** NAME=value lines printed by steps' outputs (CONTROLLER_PUBKEY …), for later steps. */
  variables: Map<string, string>;
  sessions: HostSessions;
  redactor: Redactor;
  /** Aborted when the operator cancels the run: remote commands under way are killed. */
  abort: AbortController;
  /** The plan's uploaded image on this server (null: none), for a step that sends it. */
  planImage: () => Promise<StoredImageFile | null>;
};

/** A failure worded for the dashboard; the step run's error. */
class StepFailure extends Error {}

const PORT_WAIT_MS = 30_000;
/** Lines of a verify's output kept with its step run. */
const KEPT_LINES = 200;
/** A transfer's progress goes to the dashboard at most this often (and once at the end). */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs one step on one host: check (done already? then skipped), apply, verify, port checks and
 * outputs, each script sent on stdin over the host's SSH session with its secrets in the
 * environment it sets up, and every output line logged (redacted) as it comes.
 */
export class StepExecutor {
  constructor(
    private readonly runs: RunStore,
    private readonly logs: LogWriter,
    /** Where a file transfer's progress goes (live only: the dashboard's progress bar). */
    private readonly progress: Pick<RunEventHub, "publishTransfer">,
  ) {}

  /** Returns whether the run may go on (the step succeeded or was skipped). */
  async run(scope: RunScope, stepRun: StepRunView, step: Step, host: PlaybookHost): Promise<boolean> {
    const log = new StepLog(this.logs, scope.runId, stepRun.id, scope.redactor);
    await this.runs.moveStep(stepRun.id, "running");
    log.system(`▶ ${step.title} on ${host.name}`);
    try {
      let skipped = false;
      if (step.check) {
        const check = await this.exec(scope, log, host, step, step.check, "quiet", `${stepRun.id}.check`, stepRun.attempt);
        skipped = check.exitCode === 0;
        log.system(skipped ? "Already done: skipped." : "Not done yet: applying.");
      }
      let exitCode: number | null = null;
      let verifyOutput: string[] | undefined;
      if (!skipped) {
        if (step.upload) await this.upload(scope, log, stepRun, host, step.upload);
        const apply = await this.exec(scope, log, host, step, step.apply, "log", `${stepRun.id}.apply`, stepRun.attempt);
        exitCode = apply.exitCode;
        if (apply.exitCode !== 0) throw new StepFailure(failureMessage(step, host, "failed", apply));
        if (step.verify) {
          const verify = await this.exec(scope, log, host, step, step.verify, "log", `${stepRun.id}.verify`, stepRun.attempt);
          if (verify.exitCode !== 0) throw new StepFailure(failureMessage(step, host, "did not verify", verify));
          verifyOutput = verify.lines;
        }
      }
      for (const expectation of step.ports ?? []) await this.checkPort(scope, log, expectation);
      if (step.outputs) await this.collectOutputs(scope, log, host, step, step.outputs.script);
      // What verify printed (token issue, endpoint list…) is kept with the step for the report.
      await this.runs.moveStep(stepRun.id, skipped ? "skipped" : "succeeded", { exitCode, ...(verifyOutput ? { result: { verifyOutput } } : {}) });
      return true;
    } catch (error) {
      const message = scope.redactor.redact(error instanceof StepFailure || error instanceof SshError ? error.message : `Unexpected error: ${String(error)}`);
      if (scope.abort.signal.aborted) {
        log.system(`■ Cancelled by the operator: ${message}`);
        await this.runs.moveStep(stepRun.id, "cancelled", { error: "Cancelled by the operator." });
        return false;
      }
      log.system(`✗ ${message}`);
      const triage = await this.triage(scope, log, step, host, message);
      if (triage.hint) log.system(`Hint: ${triage.hint}`);
      await this.runs.moveStep(stepRun.id, "failed", { error: message, result: { triage } });
      return false;
    }
  }

  /**
   * Sends the step's file to the host before apply (not again when the host has it, same size and
   * SHA-256), its progress streamed to the dashboard. A cancel stops it.
   */
  private async upload(scope: RunScope, log: StepLog, stepRun: StepRunView, host: PlaybookHost, upload: StepUpload) {
    const image = scope.input.uploadedImage;
    const file = await scope.planImage();
    if (!image || !file || file.sha256 !== image.sha256) {
      throw new StepFailure("The image uploaded for this plan is no longer the one this run sends: upload it again on the passwords page, or resume to send the one there now.");
    }
    log.system(`Sending ${image.fileName} (${formatBytes(file.bytes)}, ${image.diskFormat}) to ${host.name}:${upload.target}`);
    const session = await scope.sessions.get(host.id);
    const started = Date.now();
    let shownAt = 0;
    const outcome = await sendFile(
      session,
      { localPath: file.path, remotePath: upload.target, bytes: file.bytes, sha256: file.sha256 },
      {
        signal: scope.abort.signal,
        onProgress: ({ sentBytes, totalBytes }) => {
          if (sentBytes < totalBytes && Date.now() - shownAt < PROGRESS_INTERVAL_MS) return;
          shownAt = Date.now();
          this.progress.publishTransfer(scope.runId, { stepRunId: stepRun.id, sentBytes, totalBytes });
        },
      },
    );
    if (outcome === "already-there") log.system(`${host.name} has this file already (same size and SHA-256): not sent again.`);
    else {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      log.system(`✓ Sent in ${seconds.toFixed(1)} s (${formatBytes(file.bytes / seconds)}/s).`);
    }
  }

  /** What the host says about the step's services, and what a known error means. */
  private async triage(scope: RunScope, log: StepLog, step: Step, host: PlaybookHost, error: string) {
    const session = await scope.sessions.get(host.id).catch(() => null);
    return collectTriage({ session, services: step.services ?? [], logTail: log.tail(), error, redact: (text) => scope.redactor.redact(text) });
  }

  /** A step run the cancelled run did not get to. */
  async cancelPending(stepRun: StepRunView): Promise<boolean> {
    await this.runs.moveStep(stepRun.id, "cancelled", { error: "Cancelled by the operator before it started." });
    return false;
  }

  /**
   * A step done in an earlier attempt of a resumed run prints its outputs again, quietly, for the
   * steps after it (the controller's public key for ssh-trust, for example).
   */
  async restoreOutputs(scope: RunScope, step: Step, host: PlaybookHost): Promise<void> {
    const log = new StepLog(this.logs, scope.runId, null, scope.redactor);
    await this.collectOutputs(scope, log, host, step, step.outputs!.script);
  }

  /**
   * Sends one script. "log": output goes to the step's log; "quiet": a check, whose output only
   * explains why it is not done yet; "capture": outputs, read and kept out of the log.
   */
  private async exec(scope: RunScope, log: StepLog, host: PlaybookHost, step: Step, script: Script, mode: "log" | "quiet" | "capture" = "log", tag?: string, earlierAttempts = 0) {
    const missing = script.secrets.filter((name) => !scope.secrets[name]);
    if (missing.length > 0) throw new StepFailure(`Set ${missing.join(", ")} on the passwords page first.`);
    const variables = {
      ...hostVariables(host, scope.input),
      ...Object.fromEntries(scope.variables),
      ...Object.fromEntries(script.secrets.map((name) => [name, scope.secrets[name]!])),
    };
    const session = await scope.sessions.get(host.id);
    let captured = "";
    let lastError = "";
    const lines: string[] = [];
    const stdout = mode === "log" ? log.stream("stdout", (line) => lines.push(line) > KEPT_LINES && lines.shift()) : null;
    const stderr = mode === "log" ? log.stream("stderr", (line) => (lastError = line)) : null;
    const result = await session.exec(
      scriptForRunner(script, scope.input, variables),
      {
        onStdout: (chunk) => (mode === "capture" ? (captured += chunk.toString()) : stdout?.push(chunk)),
        onStderr: (chunk) => stderr?.push(chunk),
        onLeftoverStopped: () => log.system("An earlier attempt of this step was still running on the host: stopped it first."),
        backpressure: () => log.backpressure(),
      },
      // Only a step run that ran before can have left a process behind on the host.
      { timeoutMs: step.timeoutSeconds * 1000, signal: scope.abort.signal, tag, stopLeftover: tag !== undefined && earlierAttempts > 0 },
    );
    stdout?.end();
    stderr?.end();
    return { exitCode: result.exitCode, stdout: captured, lastError, lines };
  }

  private async collectOutputs(scope: RunScope, log: StepLog, host: PlaybookHost, step: Step, script: Script) {
    const result = await this.exec(scope, log, host, step, script, "capture");
    if (result.exitCode !== 0) throw new StepFailure(`${step.title}: could not read its results on ${host.name}.`);
    for (const line of result.stdout.split("\n")) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (match && step.outputs!.names.includes(match[1])) scope.variables.set(match[1], match[2]);
    }
  }

  /** The port must answer from the wizard and from each host of the roles named, within 30 s. */
  private async checkPort(scope: RunScope, log: StepLog, expectation: PortExpectation) {
    const targets = scope.input.hosts.filter((h) => h.role === expectation.on);
    for (const target of targets) {
      const sources: { name: string; probe: () => ReturnType<typeof probeFromWizard> }[] = [
        { name: "wizard", probe: () => probeFromWizard(target.managementIp, expectation.port) },
        ...scope.input.hosts
          .filter((h) => expectation.fromRoles.includes(h.role) && h.id !== target.id)
          .map((h) => ({ name: h.name, probe: async () => probeFromHost(await scope.sessions.get(h.id), target.name, expectation.port) })),
      ];
      for (const source of sources) {
        const deadline = Date.now() + PORT_WAIT_MS;
        let result = await source.probe();
        while (!result.open && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1000));
          result = await source.probe();
        }
        await this.runs.recordPortCheck(scope.runId, { fromHost: source.name, toHost: target.name, port: expectation.port, open: result.open, error: result.error, checkedAt: new Date().toISOString() });
        const from = source.name === "wizard" ? "this machine" : source.name;
        if (!result.open) throw new StepFailure(`Port ${expectation.port} (${expectation.label}) on ${target.name} is not reachable from ${from}: ${result.error}.`);
        log.system(`✓ Port ${expectation.port} (${expectation.label}) on ${target.name} answers from ${from}.`);
      }
    }
  }
}

function failureMessage(step: Step, host: PlaybookHost, what: string, result: { exitCode: number | null; lastError: string }): string {
  const code = result.exitCode === null ? "it was stopped" : `exit code ${result.exitCode}`;
  return `${step.title} ${what} on ${host.name} (${code})${result.lastError ? `: ${result.lastError}` : "."}`;
}
