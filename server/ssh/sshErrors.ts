import { describeTarget, type SshTarget } from "./sshTarget";

/** An SSH failure worded for the operator, with the low-level cause kept for the log. */
export class SshError extends Error {
  constructor(
    message: string,
    readonly kind: SshErrorKind,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = "SshError";
  }
}

export type SshErrorKind =
  | "refused"
  | "auth"
  | "timeout"
  | "unreachable"
  | "reset"
  | "not-ssh"
  | "dropped"
  /** The operator cancelled the command, and it is no longer running on the host. */
  | "cancelled"
  /** The host showed another key than the one pinned for it; nothing was sent to it. */
  | "hostkey"
  | "unknown";

/**
 * The host answered with another key than the one pinned for it: a reinstalled host, or another
 * machine on its address. Refused during the key exchange, before any password or key was sent.
 */
export class HostKeyChangedError extends SshError {
  constructor(
    readonly hostName: string,
    readonly pinned: string,
    readonly presented: string,
  ) {
    super(`The host key of ${hostName} changed: pinned ${pinned}, now ${presented}. If you reinstalled the host, trust the new key in the plan.`, "hostkey");
    this.name = "HostKeyChangedError";
  }
}

type Ssh2Error = Error & { code?: string; level?: string };

/** Turns what ssh2 or the socket threw into one plain sentence saying what is wrong and what to try. */
export function describeSshError(error: unknown, target: SshTarget, timeoutMs: number): SshError {
  if (error instanceof SshError) return error;
  const err = (error instanceof Error ? error : new Error(String(error))) as Ssh2Error;
  const where = `${target.host}:${target.port}`;
  const seconds = Math.round(timeoutMs / 1000);

  if (err.level === "client-authentication") {
    const what = target.privateKey ? "private key" : "password";
    return new SshError(
      `${describeTarget(target)} refused the ${what}: check the user name and the ${what} on the credentials page.`,
      "auth",
      err,
    );
  }
  if (/keepalive/i.test(err.message)) {
    return new SshError(`${where} stopped answering: the connection was lost (no reply to keepalives).`, "dropped", err);
  }
  if (err.level === "client-timeout" || /timed out/i.test(err.message) || err.code === "ETIMEDOUT") {
    return new SshError(
      `No SSH answer from ${where} within ${seconds} s: the host may be down, the IP wrong, or a firewall dropping port ${target.port}.`,
      "timeout",
      err,
    );
  }
  switch (err.code) {
    case "ECONNREFUSED":
      return new SshError(
        `Connection refused by ${where}: nothing is listening on port ${target.port}. Is sshd running, and is the port right?`,
        "refused",
        err,
      );
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return new SshError(`${target.host} is unreachable from this machine (no route to it). Check the IP.`, "unreachable", err);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new SshError(`The name ${target.host} does not resolve. Use the host's IP address.`, "unreachable", err);
    case "ECONNRESET":
    case "EPIPE":
      return new SshError(`${where} closed the connection unexpectedly.`, "reset", err);
  }
  if (err.level === "protocol" || /handshake|ident|protocol/i.test(err.message)) {
    return new SshError(`${where} answered, but not as an SSH server: check the port.`, "not-ssh", err);
  }
  return new SshError(`SSH to ${where} failed: ${err.message}`, "unknown", err);
}
