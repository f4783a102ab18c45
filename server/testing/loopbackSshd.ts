import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A real OpenSSH server for tests, on a loopback address of its own (all of 127.0.0.0/8 reaches
 * `lo`), with its own config, host key and a test user that logs in by password. Stopped by the
 * PID it was started with.
 */
export type LoopbackSshd = {
  address: string;
  port: number;
  user: string;
  password: string;
  hostKeyFingerprint: string;
  /** What sshd logged (LogLevel VERBOSE, on stderr) since it was started, restarts included. */
  log(): string;
  /** The host goes down at once: the listener and every session it forked are killed (SIGKILL). */
  crash(): Promise<void>;
  /** Starts the server again after a crash, with the same host key and user. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

const SSHD = "/usr/sbin/sshd";

/** A password with the characters that break naive quoting. */
export function hostilePassword(): string {
  return `p'a"s$s \`x\\;&|<>${randomBytes(6).toString("hex")}`;
}

export async function startLoopbackSshd(options: {
  address: string;
  port: number;
  user: string;
  password?: string;
  /** Public keys (OpenSSH one-line format) that may log in as the user, besides the password. */
  authorizedKeys?: string[];
  /**
   * The /etc/hosts that sshd and every session it starts see (lines "ADDRESS NAME"), bind-mounted
   * in a mount namespace of its own: host names resolve without DNS, and nothing else is touched.
   */
  etcHosts?: string;
}): Promise<LoopbackSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install openssh-server (npm test does this when run as root).`);
  if (!/^127\.\d+\.\d+\.\d+$/.test(options.address)) throw new Error("Test sshd instances listen on loopback addresses only.");
  const password = options.password ?? hostilePassword();
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-sshd-"));
  const home = path.join(dir, "home");
  mkdirSync(home);
  ensureUser(options.user, home, password);

  if (options.authorizedKeys) {
    // sshd reads the file as the user: let it through the (root-owned, 0700) scratch directory.
    chmodSync(dir, 0o711);
    writeFileSync(path.join(dir, "authorized_keys"), options.authorizedKeys.map((k) => `${k.trim()}\n`).join(""), { mode: 0o644 });
  }

  const hostKey = path.join(dir, "host_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  const fingerprint = execFileSync("ssh-keygen", ["-l", "-f", `${hostKey}.pub`], { encoding: "utf8" }).split(" ")[1];
  const config = path.join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `ListenAddress ${options.address}:${options.port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AllowUsers ${options.user}`,
      "PasswordAuthentication yes",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      "UsePAM no",
      "PermitRootLogin no",
      "StrictModes no",
      // A clean HOME: root's rc files on these machines are slow and not what we test.
      `SetEnv HOME=${home}`,
      // File transfers (an uploaded VM image) go over SFTP, as on a stock OpenSSH host.
      "Subsystem sftp internal-sftp",
      "LogLevel VERBOSE",
    ].join("\n") + "\n",
  );
  mkdirSync("/run/sshd", { recursive: true });
  const hostsFile = path.join(dir, "hosts");
  if (options.etcHosts !== undefined) writeFileSync(hostsFile, options.etcHosts, { mode: 0o644 });
  // unshare and sh exec into sshd: the PID is sshd's all the same.
  const command: [string, string[]] =
    options.etcHosts === undefined
      ? [SSHD, ["-D", "-e", "-f", config]]
      : ["unshare", ["--mount", "--propagation", "private", "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, SSHD, "-D", "-e", "-f", config]];
  let log = "";
  const launch = async () => {
    const started = spawn(command[0], command[1], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    started.stderr?.on("data", (chunk) => {
      stderr += chunk;
      log += chunk;
    });
    await waitForBanner(options.address, options.port, started, () => stderr);
    return started;
  };
  let child = await launch();

  return {
    address: options.address,
    port: options.port,
    user: options.user,
    password,
    hostKeyFingerprint: fingerprint,
    log: () => log,
    crash: async () => {
      // Everything the listener forked (per-connection sshd, the user's shells and commands)
      // goes at once, by PID, as when the machine loses power.
      for (const pid of descendantPids(child.pid!)) process.kill(pid, "SIGKILL");
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      });
    },
    restart: async () => {
      child = await launch();
    },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function descendantPids(parent: number): number[] {
  let children: number[];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(parent)], { encoding: "utf8" }).split("\n").map(Number).filter(Boolean);
  } catch {
    return []; // ps exits 1 when there are none
  }
  return children.flatMap((pid) => [pid, ...descendantPids(pid)]);
}

/** Creates the user once (reused across runs) and sets this run's password. */
function ensureUser(user: string, home: string, password: string) {
  const exists = readFileSync("/etc/passwd", "utf8").split("\n").some((line) => line.startsWith(`${user}:`));
  if (!exists) execFileSync("useradd", ["--no-create-home", "--home-dir", home, "--shell", "/bin/bash", user]);
  else execFileSync("usermod", ["--home", home, user]);
  // chpasswd reads "user:password" on stdin, so the password never reaches a command line.
  execFileSync("chpasswd", [], { input: `${user}:${password}\n` });
  execFileSync("chown", [user, home]);
}

async function waitForBanner(address: string, port: number, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited at start (code ${child.exitCode}): ${stderr().trim()}`);
    if (await readsBanner(address, port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopChild(child);
  throw new Error(`sshd on ${address}:${port} did not answer within 10 s: ${stderr().trim()}`);
}

function readsBanner(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("data", (data) => done(data.toString().startsWith("SSH-")));
    socket.once("error", () => done(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
