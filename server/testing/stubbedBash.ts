import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Tools the playbook and its library call: stubbed in-process (a function costs no fork). */
const STUBBED = [
  "apt-get", "awk", "cat", "chmod", "chown", "chronyc", "cmp", "cp", "crontab", "crudini", "curl", "cut", "date", "df", "dpkg", "dpkg-query",
  "find", "getconf", "getenforce", "getent", "glance-manage", "grep", "head", "hostname", "hostnamectl", "id", "install", "ip", "journalctl",
  "keystone-manage", "ln", "lsblk", "mkdir", "mktemp", "mv", "mysql", "netstat", "nproc", "openstack", "python", "python2", "python3", "qemu-img",
  "rabbitmqctl", "rm", "rpm", "sed", "seq", "setenforce", "sort", "ss", "ssh", "ssh-keygen", "ssh-keyscan", "stat", "systemctl", "tail", "tee",
  "tr", "uniq", "useradd", "wc", "yum", "yum-config-manager",
];

/**
 * Bash with every command stubbed, to prove that plan values quoted into a script run nothing:
 * each command returns 0 at once, except `touch` (the real one, so an injected `touch CANARY`
 * leaves its file) and the wrappers that run a command given to them (`bash -c`, `sh -c`,
 * `su -c`, `timeout`), which evaluate it with the same stubs. `set -e` is kept off so that every
 * line runs, and `sleep` only moves bash's clock on (by an hour: every wait gives up at once).
 *
 * The script runs as `nobody` in a network namespace of its own: what it writes outside /tmp
 * fails, and a name it looks up (/dev/tcp/NAME) leaves nothing on the network.
 */
export function createStubbedBash() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-stubbed-"));
  const bin = path.join(dir, "bin");
  const prelude = path.join(dir, "stubs.sh");
  mkdirSync(bin, { mode: 0o755 });
  symlinkSync("/usr/bin/touch", path.join(bin, "touch"));
  writeFileSync(
    prelude,
    [
      "command_not_found_handle() { return 0; }",
      'set() { builtin set "$@"; builtin set +e; }',
      // Waits end at once: an hour passes in every sleep.
      "sleep() { SECONDS=$((SECONDS + 3600)); }",
      'timeout() { shift; "$@"; }',
      'bash() { if [ "$1" = -c ]; then ( eval "$2" ); fi; }',
      'sh() { bash "$@"; }',
      'su() { local c=; while [ $# -gt 0 ]; do [ "$1" = -c ] && { c=$2; shift; }; shift; done; bash -c "$c"; }',
      // SP_STUB_STATUS=1 makes every check fail, so an exported script runs every apply and verify too.
      ...STUBBED.map((name) => `${name}() { return \${SP_STUB_STATUS:-0}; }`),
      "",
    ].join("\n"),
  );
  chmodSync(dir, 0o755);
  const invoke = async (args: string[], script: string, status = 0, variables: Record<string, string> = {}) => {
    const file = path.join(dir, `script-${process.hrtime.bigint()}-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, script, { mode: 0o644 });
    try {
      const env = ["env", "-i", `PATH=${bin}`, `BASH_ENV=${prelude}`, "HOME=/nonexistent", "LC_ALL=C.UTF-8", `SP_STUB_STATUS=${status}`, ...Object.entries(variables).map(([name, value]) => `${name}=${value}`)];
      const sandbox = ["-n", "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", ...env, "/bin/bash", ...args, file];
      return await new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn("unshare", sandbox, { cwd: "/tmp", stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.once("error", reject);
        child.once("close", (code) => resolve({ status: code, stderr }));
      });
    } finally {
      rmSync(file, { force: true });
    }
  };
  return {
    /** Parses without running (bash -n): a quoting mistake shows here as a syntax error. */
    syntaxCheck: (script: string) => invoke(["-n"], script),
    /** Runs it with these environment variables; `status` is what every stubbed command returns (1: every check fails). */
    run: (script: string, options: { status?: 0 | 1; env?: Record<string, string> } = {}) => invoke([], script, options.status, options.env),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
