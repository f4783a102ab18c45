import { createHash } from "node:crypto";
// ssh2 is CommonJS: Node's ESM loader only offers its default export.
import ssh2, { type Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from "ssh2";
import { parseStopOutput, randomNonce, randomTag, remoteTag, SCRIPT_STARTED, stopCommand, wrapperCommand, wrapperHeader, type StopOutcome } from "./remoteProcess";
import { handshakeSlots } from "./handshakeSlots";
import { describeSshError, HostKeyChangedError, SshError } from "./sshErrors";
import type { SshTarget } from "./sshTarget";

export type SshSessionOptions = {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /**
   * Keep a spare wrapper started on the host, for a session that runs many commands one after
   * another (a deployment): the next command then finds its channel open and its shell running,
   * which takes a channel round trip, a login shell and the wrapper's start off every step.
   * The spare's login starts while the command before it runs: what a login reads once (pam_env's
   * /etc/environment, the user's shell) is as it was then. The script's own bash starts when the
   * command does, and the runner's scripts set the environment they need themselves.
   */
  spareChannel?: boolean;
};

/** A wrapper started ahead of the command it will run, waiting for its stdin. */
type Spare = { channel: ClientChannel; exited: boolean };

type WrapperChannelCallback = (error: SshError | undefined, channel: ClientChannel, fromSpare: boolean) => void;

/** The key a host must show: its SHA256 fingerprint as pinned, and the host's name for the message. */
export type ExpectedHostKey = { hostName: string; fingerprint: string };

export type ExecHandlers = {
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Called when a leftover of an earlier command with the same tag was still running and has been stopped. */
  onLeftoverStopped?: () => void;
  /**
   * Asked after each chunk of output: a promise pauses reading the command's output until it
   * settles (the host's writes then block once the SSH window is full), so a command that prints
   * faster than its output is stored cannot fill this process's memory.
   */
  backpressure?: () => Promise<void> | undefined;
};

export type ExecOptions = {
  timeoutMs?: number;
  /** Aborting stops the remote command: its whole process group is killed (TERM, then KILL after a grace of a few seconds); the promise settles only once no process of the group is left on the host. */
  signal?: AbortSignal;
  /** A stable name for this command's process group on the host (a step run id and phase). */
  tag?: string;
  /**
   * Before starting, kill a still-running group left under the same tag by an earlier command (the
   * server was killed -9 mid-step), then call handlers.onLeftoverStopped?.(). Costs one more
   * channel round trip, so only for commands that may have run before (a retried step).
   */
  stopLeftover?: boolean;
};

export type ExecResult = { exitCode: number | null; signal: string | null };

/** How long a group gets between TERM and KILL. */
const TERM_GRACE_MS = 5_000;
/** How long a cancel right after the start waits for the command to record its process group. */
const START_WAIT_MS = 3_000;
/** Slack for the stop command on top of its own waits (TERM grace, KILL wait). */
const STOP_MARGIN_MS = 5_000;
/** After the group is gone, how long the command's channel may take to deliver its last output. */
const CHANNEL_CLOSE_GRACE_MS = 2_000;

/**
 * One SSH connection to one host, reused for every command sent to it (channels, not reconnects).
 * Scripts travel on stdin to `bash -s`, so nothing they contain (passwords included) shows up in
 * the remote process list. Each script runs in a process group of its own on the host, so a cancel
 * or a timeout can stop everything it started (see remoteProcess.ts).
 */
export class SshSession {
  private closed = false;
  private failure: SshError | undefined;
  /** Rejecters of the commands under way, told when the connection itself fails. */
  private readonly inFlight = new Set<(failure: SshError) => void>();
  /** The next command's channel, opening or open (options.spareChannel). */
  private spare: Promise<Spare | undefined> | undefined;

  private constructor(
    private readonly client: Client,
    readonly target: SshTarget,
    /** SHA256 fingerprint of the host key, as `ssh-keygen -lf` prints it. */
    readonly hostKeyFingerprint: string,
    private readonly options: SshSessionOptions,
  ) {
    client.on("error", (error) => this.fail(describeSshError(error, target, options.readyTimeoutMs)));
    client.on("close", () => this.fail(new SshError(`${target.host}:${target.port} closed the connection.`, "dropped")));
  }

  /**
   * Connects and authenticates. With `expected`, a host that shows another key is refused in the
   * key exchange, before authenticating (no password or key reaches it): HostKeyChangedError.
   * Waits for a handshake slot first (see handshakeSlots.ts); the ready timeout starts after.
   */
  static async connect(target: SshTarget, options: SshSessionOptions, expected?: ExpectedHostKey): Promise<SshSession> {
    const release = await handshakeSlots.acquire();
    try {
      return await SshSession.handshake(target, options, expected);
    } finally {
      release();
    }
  }

  private static handshake(target: SshTarget, options: SshSessionOptions, expected?: ExpectedHostKey): Promise<SshSession> {
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let fingerprint = "";
      let refusedKey: HostKeyChangedError | undefined;
      const config: ConnectConfig = {
        host: target.host,
        port: target.port,
        username: target.username,
        password: target.password,
        privateKey: target.privateKey,
        readyTimeout: options.readyTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs,
        keepaliveCountMax: options.keepaliveCountMax,
        // Called in the key exchange, before ssh2 starts user authentication.
        hostVerifier: (key: Buffer) => {
          fingerprint = sha256Fingerprint(key);
          if (expected && fingerprint !== expected.fingerprint) {
            refusedKey = new HostKeyChangedError(expected.hostName, expected.fingerprint, fingerprint);
            return false;
          }
          return true;
        },
      };
      const onError = (error: Error) => {
        client.removeAllListeners();
        client.on("error", () => undefined);
        client.end();
        reject(refusedKey ?? describeSshError(error, target, options.readyTimeoutMs));
      };
      client.once("error", onError);
      client.once("ready", () => {
        client.removeListener("error", onError);
        // Without this every short command waits ~40 ms on Nagle's algorithm meeting delayed ACKs.
        client.setNoDelay(true);
        resolve(new SshSession(client, target, fingerprint, options));
      });
      client.connect(config);
    });
  }

  /**
   * Runs `script` with bash on the host; resolves when the remote command exits, with its exit code
   * (or signal) exactly as bash ended. `options` as a number is the timeout in milliseconds.
   *
   * The script runs in a process group of its own on the host, recorded under the tag (see
   * remoteProcess.ts). A timeout or an abort kills that group over a second channel of this
   * connection and settles only once none of its processes is left.
   */
  async exec(script: string, handlers: ExecHandlers = {}, options?: number | ExecOptions): Promise<ExecResult> {
    const { timeoutMs, signal, tag, stopLeftover } = typeof options === "number" ? { timeoutMs: options } : (options ?? {});
    this.assertUsable();
    if (signal?.aborted) throw this.cancelled();
    const remote = tag === undefined ? randomTag() : remoteTag(tag);
    if (tag !== undefined && stopLeftover) {
      const leftover = await this.stopGroup(remote, {});
      if (leftover === "alive") {
        throw new SshError(`An earlier run of this command is still running on ${this.target.host} and did not stop even on KILL; not starting it again.`, "unknown");
      }
      if (leftover === "stopped") handlers.onLeftoverStopped?.();
      if (signal?.aborted) throw this.cancelled();
      this.assertUsable();
    }
    return this.run(script, remote, handlers, timeoutMs, signal);
  }

  private run(script: string, remote: string, handlers: ExecHandlers, timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const nonce = randomNonce();
      let channel: ClientChannel | undefined;
      let channelClosed = false;
      let onChannelClosed: (() => void) | undefined;
      let stopping: "cancel" | "timeout" | undefined;
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.inFlight.delete(onConnectionFailure);
        outcome();
      };
      const onConnectionFailure = (failure: SshError) => settle(() => reject(failure));
      this.inFlight.add(onConnectionFailure);

      /** Kills the command's process group, then rejects: only once nothing of it is left. */
      const stop = (reason: "cancel" | "timeout") => {
        if (settled || stopping) return;
        stopping = reason;
        clearTimeout(timer);
        this.stopGroup(remote, { nonce, waitMs: START_WAIT_MS }).then(
          async (outcome) => {
            // The group is gone; give the channel a moment to deliver the last output and close.
            if (channel && !channelClosed) {
              await new Promise<void>((done) => {
                const grace = setTimeout(done, CHANNEL_CLOSE_GRACE_MS);
                onChannelClosed = () => {
                  clearTimeout(grace);
                  done();
                };
              });
              if (!channelClosed) channel.close();
            }
            settle(() => reject(this.stoppedError(reason, outcome, timeoutMs)));
          },
          (error: unknown) => settle(() => reject(describeSshError(error, this.target, this.options.readyTimeoutMs))),
        );
      };
      const onAbort = () => stop("cancel");
      signal?.addEventListener("abort", onAbort, { once: true });

      const attach = (error: SshError | undefined, opened: ClientChannel, fromSpare: boolean) => {
        if (error) {
          // Cancelled while the channel opened: the stop under way settles, finding nothing to kill.
          if (!stopping) settle(() => reject(error));
          return;
        }
        channel = opened;
        if (settled) {
          opened.close();
          return;
        }
        // Output before the wrapper's start mark (a login shell's complaints) is held until the
        // script runs, so a spare that never ran it (killed on the host) is dropped without a trace.
        let started = false;
        const held: (() => void)[] = [];
        const release = () => held.splice(0).forEach((deliver) => deliver());
        let paused = false;
        const throttle = () => {
          const wait = paused ? undefined : handlers.backpressure?.();
          if (!wait) return;
          paused = true;
          opened.pause();
          opened.stderr.pause();
          void wait.then(() => {
            paused = false;
            opened.resume();
            opened.stderr.resume();
          });
        };
        const stdout = (chunk: Buffer) => {
          handlers.onStdout?.(chunk);
          throttle();
        };
        const stderr = (chunk: Buffer) => {
          handlers.onStderr?.(chunk);
          throttle();
        };
        opened.on("data", (chunk: Buffer) => {
          if (started) return stdout(chunk);
          const at = chunk.indexOf(SCRIPT_STARTED);
          if (at < 0) return void held.push(() => stdout(chunk));
          started = true;
          if (at > 0) held.push(() => stdout(chunk.subarray(0, at)));
          release();
          if (at + 1 < chunk.length) stdout(chunk.subarray(at + 1));
        });
        opened.stderr.on("data", (chunk: Buffer) => (started ? stderr(chunk) : held.push(() => stderr(chunk))));
        opened.on("exit", (code: number | null, sig?: string) => {
          exitCode = code;
          exitSignal = sig ?? null;
        });
        opened.on("close", () => {
          if (!started && fromSpare && !stopping && !settled) {
            // The spare ended before it ran anything: the command goes to a channel of its own.
            clearTimeout(timer);
            channel = undefined;
            return this.freshWrapperChannel(attach);
          }
          release();
          channelClosed = true;
          onChannelClosed?.();
          if (!stopping) settle(() => resolve({ exitCode, signal: exitSignal }));
        });
        if (stopping) {
          // Cancelled before the script was sent: the wrapper reads an empty stdin and exits at once.
          opened.end();
          return;
        }
        if (timeoutMs) timer = setTimeout(() => stop("timeout"), timeoutMs);
        opened.end(wrapperHeader(remote, nonce) + script);
      };
      this.wrapperChannel(attach);
    });
  }

  /** Stops the process group recorded under `remote` over a channel of its own. */
  private stopGroup(remote: string, options: { nonce?: string; waitMs?: number }): Promise<StopOutcome> {
    this.assertUsable();
    return new Promise((resolve, reject) => {
      let stdout = "";
      let stderr = "";
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(onConnectionFailure);
        outcome();
      };
      const onConnectionFailure = (failure: SshError) => settle(() => reject(failure));
      this.inFlight.add(onConnectionFailure);
      const limitMs = (options.waitMs ?? 0) + 2 * TERM_GRACE_MS + STOP_MARGIN_MS;
      const timer = setTimeout(
        () => settle(() => reject(new SshError(`${this.target.host} did not confirm within ${Math.round(limitMs / 1000)} s that the command stopped.`, "timeout"))),
        limitMs,
      );
      this.openExec(stopCommand(remote, { ...options, graceMs: TERM_GRACE_MS }), (error, channel) => {
        if (error) return settle(() => reject(error));
        if (settled) return channel.close();
        channel.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        channel.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        channel.on("close", () => {
          const outcome = parseStopOutput(stdout);
          settle(() =>
            outcome
              ? resolve(outcome)
              : reject(new SshError(`Could not stop the command on ${this.target.host}: ${stderr.trim() || stdout.trim() || "the stop command gave no answer"}`, "unknown")),
          );
        });
        channel.end();
      });
    });
  }

  /**
   * A channel running the wrapper, waiting for its stdin: the spare if there is a live one (and a
   * new spare starts for the command after), else a new channel.
   */
  private wrapperChannel(callback: WrapperChannelCallback): void {
    const spare = this.spare;
    this.spare = this.options.spareChannel ? this.openSpare() : undefined;
    if (!spare) return this.freshWrapperChannel(callback);
    void spare.then((ready) => {
      if (ready && !ready.exited && this.isUsable()) return callback(undefined, ready.channel, true);
      // The spare failed to open or its wrapper already ended (it would have said why): a fresh
      // channel runs the command and reports any such failure as the command's own.
      ready?.channel.close();
      this.freshWrapperChannel(callback);
    });
  }

  private freshWrapperChannel(callback: WrapperChannelCallback): void {
    this.openExec(wrapperCommand(), (error, channel) => callback(error, channel, false));
  }

  private openSpare(): Promise<Spare | undefined> {
    return new Promise((resolve) => {
      if (!this.isUsable()) return resolve(undefined);
      this.openExec(wrapperCommand(), (error, channel) => {
        if (error) return resolve(undefined);
        const spare: Spare = { channel, exited: false };
        channel.once("exit", () => (spare.exited = true));
        resolve(spare);
      });
    });
  }

  /** Opens an exec channel; a connection that is already gone is reported as dropped, never thrown. */
  private openExec(command: string, callback: (error: SshError | undefined, channel: ClientChannel) => void): void {
    const failed = (error: unknown) => callback(this.failure ?? describeSshError(error, this.target, this.options.readyTimeoutMs), undefined as never);
    try {
      this.client.exec(command, (error, channel) => (error ? failed(error) : callback(undefined, channel)));
    } catch (error) {
      if (error instanceof Error && error.message === "Not connected") {
        return callback(new SshError(`${this.target.host}:${this.target.port} closed the connection.`, "dropped"), undefined as never);
      }
      failed(error);
    }
  }

  private stoppedError(reason: "cancel" | "timeout", outcome: StopOutcome, timeoutMs: number | undefined): SshError {
    const host = this.target.host;
    if (outcome === "alive") {
      const what = reason === "cancel" ? "was cancelled" : `did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s`;
      return new SshError(`The command on ${host} ${what}, but some of its processes did not stop even on KILL.`, "unknown");
    }
    if (reason === "cancel") return this.cancelled();
    return new SshError(`The command on ${host} did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s; it was stopped.`, "timeout");
  }

  private cancelled(): SshError {
    return new SshError(`The command was cancelled; it is no longer running on ${this.target.host}.`, "cancelled");
  }

  private assertUsable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new SshError("The SSH session is closed.", "dropped");
  }

  /** An SFTP channel on this connection, for sending files (see fileTransfer.ts); end it when done. */
  sftp(): Promise<SFTPWrapper> {
    this.assertUsable();
    return new Promise((resolve, reject) => {
      try {
        this.client.sftp((error, sftp) => (error ? reject(this.failure ?? describeSshError(error, this.target, this.options.readyTimeoutMs)) : resolve(sftp)));
      } catch (error) {
        reject(this.failure ?? describeSshError(error, this.target, this.options.readyTimeoutMs));
      }
    });
  }

  /** False once the connection failed or was closed. */
  isUsable(): boolean {
    return !this.closed && !this.failure;
  }

  /** Ends the connection; commands still under way are rejected (their remote processes are not killed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.spare = undefined;
    const failure = new SshError(`The SSH session to ${this.target.host} was closed while a command ran.`, "dropped");
    for (const reject of [...this.inFlight]) reject(failure);
    this.client.end();
  }

  private fail(failure: SshError) {
    if (this.closed || this.failure) return;
    this.failure = failure;
    for (const reject of [...this.inFlight]) reject(failure);
  }
}

export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}
