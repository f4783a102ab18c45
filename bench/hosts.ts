import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hostilePassword, startLoopbackSshd, type LoopbackSshd } from "@/server/testing/loopbackSshd";

/** The bench's own loopback addresses (127.0.2.1 …, then 127.0.3.x) and user; never the tests'. */
export const BENCH_USER = "sp-bench";
export const BENCH_SSH_PORT = 2222;

export function benchAddress(i: number): string {
  return i < 254 ? `127.0.2.${i + 1}` : `127.0.3.${i - 253}`;
}

/** A key pair for the tools that log in by key (OpenSSH, Ansible); removed by dispose(). */
export type BenchKey = { privateKeyFile: string; publicKey: string; dispose(): void };

export function makeBenchKey(): BenchKey {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-bench-key-"));
  const file = path.join(dir, "id_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "stackpilot-bench", "-f", file]);
  return { privateKeyFile: file, publicKey: readFileSync(`${file}.pub`, "utf8").trim(), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export type BenchHosts = { hosts: LoopbackSshd[]; password: string; stop(): Promise<void> };

/** The plan's host names for the bench hosts, as drillPlanUpdate gives them: ct, c1, c2 … */
export const benchHostName = (i: number) => (i === 0 ? "ct" : `c${i}`);

/**
 * `count` real sshd instances on 127.0.2.x:2222, one user with one password (and the bench key),
 * each with a clean HOME (SetEnv HOME in its config) and an /etc/hosts of their own that names
 * every bench host (the host check resolves the other hosts' names: no DNS query leaves the
 * machine). Started one after another: they all change the same user in /etc/passwd.
 */
export async function startBenchHosts(count: number, key?: BenchKey): Promise<BenchHosts> {
  const etcHosts = ["127.0.0.1 localhost", ...Array.from({ length: count }, (_, i) => `${benchAddress(i)} ${benchHostName(i)}`), ""].join("\n");
  const password = hostilePassword();
  const hosts: LoopbackSshd[] = [];
  const stop = async () => {
    await Promise.all(hosts.map((h) => h.stop()));
  };
  try {
    for (let i = 0; i < count; i++) {
      hosts.push(await startLoopbackSshd({ address: benchAddress(i), port: BENCH_SSH_PORT, user: BENCH_USER, password, authorizedKeys: key ? [key.publicKey] : undefined, etcHosts }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { hosts, password, stop };
}
