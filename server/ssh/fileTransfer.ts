import path from "node:path";
import { shellQuote } from "@/lib/shell/quote";
import { SshError } from "./sshErrors";
import type { SshSession } from "./sshSession";

/** A file of this server to put on a host, and what it must be once there. */
export type FileToSend = { localPath: string; remotePath: string; bytes: number; sha256: string };

export type TransferProgress = { sentBytes: number; totalBytes: number };

export type SendOptions = {
  onProgress?: (progress: TransferProgress) => void;
  /** Aborting stops the transfer (its SFTP channel is closed); what arrived stays aside, never at remotePath. */
  signal?: AbortSignal;
};

/** "sent", or "already-there": the host had the file, same size and SHA-256, and nothing was sent. */
export type SendOutcome = "sent" | "already-there";

/** How long hashing a file on the host may take (2 GiB is ~10 s on a slow disk). */
const HASH_TIMEOUT_MS = 5 * 60_000;
const SAME = "SP_FILE_SAME";

/**
 * Puts a file on a host over SFTP on the session's connection, unless the host has it already
 * (size, then SHA-256 with sha256sum). The file goes to `<remotePath>.part` first and takes its
 * name only once its SHA-256 on the host is the expected one, so a cut-off or cancelled transfer
 * never leaves a half file where a step looks for it.
 */
export async function sendFile(session: SshSession, file: FileToSend, options: SendOptions = {}): Promise<SendOutcome> {
  if (!path.posix.isAbsolute(file.remotePath) || file.remotePath.split("/").includes("..")) {
    throw new SshError(`Refusing to send a file to ${file.remotePath}: not an absolute path without "..".`, "unknown");
  }
  if (!/^[0-9a-f]{64}$/.test(file.sha256)) throw new SshError("Refusing to send a file without its SHA-256.", "unknown");
  const target = shellQuote(file.remotePath);
  const partial = `${file.remotePath}.part`;
  const matches = (what: string) => `[ -f ${what} ] && [ "$(stat -c %s ${what})" = ${file.bytes} ] && [ "$(sha256sum < ${what} | cut -d' ' -f1)" = ${file.sha256} ]`;

  const found = await run(session, [`mkdir -p ${shellQuote(path.posix.dirname(file.remotePath))}`, `if ${matches(target)}; then echo ${SAME}; fi`], options.signal);
  if (found.includes(SAME)) return "already-there";

  await put(session, file, partial, options);
  const placed = await run(session, [`if ${matches(shellQuote(partial))}; then mv -f ${shellQuote(partial)} ${target} && echo ${SAME}; fi`], options.signal);
  if (!placed.includes(SAME)) throw new SshError(`${file.remotePath} arrived on ${session.target.host} with another size or SHA-256 than sent.`, "unknown");
  return "sent";
}

/** Runs a short script on the host; its stdout, or an error with its last stderr line. */
async function run(session: SshSession, lines: string[], signal: AbortSignal | undefined): Promise<string> {
  let stdout = "";
  let stderr = "";
  const result = await session.exec(
    ["set -e", ...lines].join("\n") + "\n",
    { onStdout: (chunk) => (stdout += chunk.toString()), onStderr: (chunk) => (stderr += chunk.toString()) },
    { timeoutMs: HASH_TIMEOUT_MS, signal },
  );
  if (result.exitCode !== 0) {
    const last = stderr.trim().split("\n").at(-1);
    throw new SshError(`Could not prepare the file transfer on ${session.target.host}${last ? `: ${last}` : "."}`, "unknown");
  }
  return stdout;
}

/** fastPut (parallel writes) to `partial`; an abort ends the SFTP channel, which fails the transfer. */
async function put(session: SshSession, file: FileToSend, partial: string, options: SendOptions): Promise<void> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw cancelled(session);
  const sftp = await session.sftp();
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        reject(cancelled(session));
        sftp.end();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      onProgress?.({ sentBytes: 0, totalBytes: file.bytes });
      sftp.fastPut(
        file.localPath,
        partial,
        { mode: 0o600, step: (sentBytes, _chunk, totalBytes) => onProgress?.({ sentBytes, totalBytes }) },
        (error) => {
          signal?.removeEventListener("abort", onAbort);
          if (signal?.aborted) return reject(cancelled(session));
          if (error) return reject(new SshError(`Sending ${path.posix.basename(file.remotePath)} to ${session.target.host} failed: ${error.message}`, "unknown", error));
          resolve();
        },
      );
    });
  } finally {
    sftp.end();
  }
}

function cancelled(session: SshSession): SshError {
  return new SshError(`The file transfer was cancelled; nothing more is sent to ${session.target.host}.`, "cancelled");
}
