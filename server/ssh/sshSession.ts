import { createHash } from "node:crypto";
// ssh2 is CommonJS: Node's ESM loader only offers its default export.
import ssh2, { type Client, type ConnectConfig } from "ssh2";
import { describeSshError, SshError } from "./sshErrors";
import type { SshTarget } from "./sshTarget";

export type SshSessionOptions = {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
};

export type ExecHandlers = {
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
};

export type ExecResult = { exitCode: number | null; signal: string | null };

/**
 * One SSH connection to one host, reused for every command sent to it (channels, not reconnects).
 * Scripts travel on stdin to `bash -s`, so nothing they contain (passwords included) shows up in
 * the remote process list.
 */
export class SshSession {
  private closed = false;
  private failure: SshError | undefined;
  /** Rejecters of the commands under way, told when the connection itself fails. */
  private readonly inFlight = new Set<(failure: SshError) => void>();

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

  static connect(target: SshTarget, options: SshSessionOptions): Promise<SshSession> {
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let fingerprint = "";
      const config: ConnectConfig = {
        host: target.host,
        port: target.port,
        username: target.username,
        password: target.password,
        privateKey: target.privateKey,
        readyTimeout: options.readyTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs,
        keepaliveCountMax: options.keepaliveCountMax,
        // Accept and remember the key for now; pinning it is the preflight's job.
        hostVerifier: (key: Buffer) => {
          fingerprint = sha256Fingerprint(key);
          return true;
        },
      };
      const onError = (error: Error) => {
        client.removeAllListeners();
        client.on("error", () => undefined);
        client.end();
        reject(describeSshError(error, target, options.readyTimeoutMs));
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

  /** Runs `script` with bash on the host; resolves when the remote command exits. */
  exec(script: string, handlers: ExecHandlers = {}, timeoutMs?: number): Promise<ExecResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new SshError("The SSH session is closed.", "dropped"));
    return new Promise((resolve, reject) => {
      this.client.exec("bash -s", (error, channel) => {
        if (error) return reject(describeSshError(error, this.target, this.options.readyTimeoutMs));
        let exitCode: number | null = null;
        let signal: string | null = null;
        let timer: NodeJS.Timeout | undefined;
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
        if (timeoutMs) {
          timer = setTimeout(() => {
            channel.close();
            settle(() => reject(new SshError(`The command on ${this.target.host} did not finish within ${Math.round(timeoutMs / 1000)} s.`, "timeout")));
          }, timeoutMs);
        }
        channel.on("data", (chunk: Buffer) => handlers.onStdout?.(chunk));
        channel.stderr.on("data", (chunk: Buffer) => handlers.onStderr?.(chunk));
        channel.on("exit", (code: number | null, sig?: string) => {
          exitCode = code;
          signal = sig ?? null;
        });
        channel.on("close", () => settle(() => resolve({ exitCode, signal })));
        channel.end(script);
      });
    });
  }

  /** False once the connection failed or was closed. */
  isUsable(): boolean {
    return !this.closed && !this.failure;
  }

  close(): void {
    this.closed = true;
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
