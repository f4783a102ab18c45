import net from "node:net";
import { shellQuote } from "@/lib/shell/quote";
import type { SshSession } from "../ssh/sshSession";

export type ProbeResult = { open: boolean; error: string | null };

/** Is a TCP port open, as seen from this machine (the wizard)? */
export function probeFromWizard(host: string, port: number, timeoutMs = 3000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ open: false, error: `no answer within ${timeoutMs / 1000} s` }));
    socket.once("connect", () => done({ open: true, error: null }));
    socket.once("error", (error: NodeJS.ErrnoException) => done({ open: false, error: error.code === "ECONNREFUSED" ? "connection refused" : error.message }));
  });
}

/** Is a TCP port open, as seen from another host (bash's /dev/tcp over that host's SSH session)? */
export async function probeFromHost(session: SshSession, host: string, port: number): Promise<ProbeResult> {
  let stderr = "";
  // Quoted twice: once for the inner bash that opens the socket, once for the outer one.
  const script = `timeout 5 bash -c ${shellQuote(`exec 3<>${shellQuote(`/dev/tcp/${host}/${port}`)}`)}`;
  const result = await session.exec(script, { onStderr: (chunk) => (stderr += chunk.toString()) }, 15_000);
  if (result.exitCode === 0) return { open: true, error: null };
  const reason = /refused/i.test(stderr) ? "connection refused" : result.exitCode === 124 ? "no answer within 5 s" : stderr.trim().split("\n").pop() || `exit ${result.exitCode}`;
  return { open: false, error: reason };
}
