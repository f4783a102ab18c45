// Reachability checks from the root namespace: a TCP connect plus the first line sshd sends.
import net from "node:net";

/** Resolves to the SSH banner ("SSH-2.0-OpenSSH_9.2p1 …") or null if none arrives in time. */
export function readSshBanner(host: string, port = 22, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = "";
    const finish = (banner: string | null) => {
      socket.destroy();
      resolve(banner);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.on("error", () => finish(null));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      const complete = buffer.slice(0, buffer.lastIndexOf("\n") + 1);
      const line = complete.split("\n").find((l) => l.startsWith("SSH-"));
      if (line) finish(line.trim());
    });
    socket.on("end", () => finish(null));
  });
}

/** True once something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

/** Polls `check` every `intervalMs` until it returns a non-null value or the deadline passes. */
export async function pollUntil<T>(check: () => Promise<T | null>, timeoutMs: number, intervalMs = 200): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== null) return result;
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
