import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

export type Machine = Record<string, string>;

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error) return "not installed";
  return `${result.stdout}${result.stderr}`.split("\n").find((l) => l.trim() && !/^\[/.test(l))?.trim() ?? "?";
}

function read(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "?";
  }
}

/** What the figures were measured on. */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  const packageVersion = (name: string) => (JSON.parse(read(`node_modules/${name}/package.json`)) as { version: string }).version;
  return {
    cores: `${cpus.length} × ${cpus[0]?.model.trim() ?? "?"}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    system: `Debian ${read("/etc/debian_version")}, Linux ${os.release()}`,
    node: process.version,
    ssh2: packageVersion("ssh2"),
    "socket.io": packageVersion("socket.io"),
    ansible: firstLine("ansible", ["--version"]),
    openssh: firstLine("ssh", ["-V"]),
    chromium: firstLine("/usr/bin/chromium", ["--version"]),
  };
}
