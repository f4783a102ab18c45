import { randomBytes, randomInt } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import ssh2 from "ssh2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { randomNonce, remotePrograms, stopCommand, wrapperCommand, wrapperHeader } from "./remoteProcess";
import { SshError } from "./sshErrors";
import { SshSession, type ExecResult } from "./sshSession";

// Loopback addresses of this suite: its own sshd, and a TCP relay to it that can go silent.
const SSHD_ADDRESS = "127.0.0.141";
const RELAY_ADDRESS = "127.0.0.142";
const PORT = 2241;
const OPTIONS = { readyTimeoutMs: 5000, keepaliveIntervalMs: 500, keepaliveCountMax: 2 };

let sshd: LoopbackSshd;
const sessions: SshSession[] = [];
/** Markers of this suite's remote processes, killed by PID after each test whatever happened. */
const markers: string[] = [];

beforeAll(async () => {
  sshd = await startLoopbackSshd({ address: SSHD_ADDRESS, port: PORT, user: "sp-sshsession" });
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
  for (const marker of markers.splice(0)) for (const pid of processesWith(marker)) killQuietly(pid);
});

afterAll(async () => {
  await sshd?.stop();
});

async function connect(host = SSHD_ADDRESS, options: { spareChannel?: boolean } = {}): Promise<SshSession> {
  const session = await SshSession.connect({ host, port: PORT, username: sshd.user, password: sshd.password }, { ...OPTIONS, ...options });
  sessions.push(session);
  return session;
}

/** A unique `sleep` argument (a valid duration of about 300 s), to find the remote process by. */
function marker(): string {
  const value = `300.${randomInt(10_000_000, 99_999_999)}`;
  markers.push(value);
  return value;
}

/** PIDs of this machine's live processes whose command line contains `text` (what `pgrep -f` sees). */
function processesWith(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      if (args.includes(text)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function commandLines(): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        return [readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ")];
      } catch {
        return [];
      }
    });
}

function killQuietly(pid: number) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Settles a promise into a value to assert on, recording when it settled. */
async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: SshError; at: number }> {
  try {
    return { value: await promise, at: Date.now() };
  } catch (error) {
    return { error: error as SshError, at: Date.now() };
  }
}

/** PIDs of wrappers of this suite's user waiting on the host (or running a script: same PID). */
function wrappersOfTestUser(): number[] {
  const uid = String(spawnSync("id", ["-u", sshd.user], { encoding: "utf8" }).stdout.trim());
  return processesWith(remotePrograms.wrapper.slice(0, 60)).filter((pid) => {
    try {
      return /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] === uid;
    } catch {
      return false;
    }
  });
}

describe("SshSession.exec against a real OpenSSH server", () => {
  it.each([
    ["a new channel per command", false],
    ["a spare channel started ahead", true],
  ])("passes output and exit codes through exactly, as plain `bash -s` gives them (%s)", async (_, spareChannel) => {
    const session = await connect(SSHD_ADDRESS, { spareChannel });
    const script = ["printf 'one\\ntwo\\n\\nthree'", "echo", "echo 'to stderr' >&2", 'echo "args: $0 $#"', "exit 7", "echo never"].join("\n");
    let stdout = "";
    let stderr = "";
    const result = await session.exec(script, { onStdout: (c) => (stdout += c), onStderr: (c) => (stderr += c) }, { timeoutMs: 10_000, tag: "output-test" });
    expect(result).toEqual<ExecResult>({ exitCode: 7, signal: null });
    expect(stdout).toBe("one\ntwo\n\nthree\nargs: bash 0\n");
    expect(stderr).toMatch(/(^|\n)to stderr\n$/);
    // Byte for byte what the command gave before it ran in a group of its own (the login shell's
    // complaints about this test sshd's unreadable home directory included).
    expect({ stdout, stderr, ...result }).toEqual(await plainBashS(script));

    expect(await session.exec("true")).toEqual({ exitCode: 0, signal: null });
    expect(await session.exec("false", {}, 10_000)).toEqual({ exitCode: 1, signal: null });
    // A script killed by a signal is reported as that signal, as before.
    const { exitCode, signal } = await plainBashS("kill -KILL $$");
    expect(await session.exec("kill -KILL $$")).toEqual({ exitCode: null, signal: "SIGKILL" });
    expect({ exitCode, signal }).toEqual({ exitCode: null, signal: "SIGKILL" });
    // Several commands at once on one connection keep their outputs apart.
    const outputs = await Promise.all(
      [1, 2, 3].map(async (n) => {
        let out = "";
        const r = await session.exec(`sleep 0.2; echo ${n}; exit ${n}`, { onStdout: (c) => (out += c) });
        return `${r.exitCode}:${out}`;
      }),
    );
    expect(outputs).toEqual(["1:1\n", "2:2\n", "3:3\n"]);
  });

  it("with a spare channel, each command runs in the wrapper started before it; a dead spare is replaced; closing leaves no wrapper behind", async () => {
    const session = await connect(SSHD_ADDRESS, { spareChannel: true });
    expect(await session.exec("true")).toEqual({ exitCode: 0, signal: null });
    await waitFor("the spare wrapper to wait on the host", () => wrappersOfTestUser().length === 1);
    const [spare] = wrappersOfTestUser();
    // The wrapper execs the script's bash: the script's $$ is the spare's PID.
    let pid = "";
    expect(await session.exec("echo $$", { onStdout: (c) => (pid += c) })).toEqual({ exitCode: 0, signal: null });
    expect(Number(pid)).toBe(spare);

    await waitFor("the next spare", () => wrappersOfTestUser().length === 1 && wrappersOfTestUser()[0] !== spare);
    const [next] = wrappersOfTestUser();
    process.kill(next, "SIGKILL");
    await waitFor("the killed spare to be gone", () => !wrappersOfTestUser().includes(next));
    let out = "";
    expect(await session.exec("echo still works", { onStdout: (c) => (out += c) })).toEqual({ exitCode: 0, signal: null });
    expect(out).toBe("still works\n");

    session.close();
    await waitFor("no wrapper left on the host", () => wrappersOfTestUser().length === 0);
  });

  it("reads the whole script before running it: a command that reads stdin finds its end, not the script's next lines", async () => {
    const session = await connect();
    let stdout = "";
    const result = await session.exec(["echo before", "cat", "echo after", "read -r line || echo eof"].join("\n"), { onStdout: (c) => (stdout += c) }, { tag: "stdin-test" });
    expect(result).toEqual<ExecResult>({ exitCode: 0, signal: null });
    expect(stdout).toBe("before\nafter\neof\n");
  });

  it("cancel kills the script and everything it started, then rejects as cancelled", async () => {
    const session = await connect();
    const m = marker();
    const abort = new AbortController();
    let stdout = "";
    const running = outcome(session.exec(`echo started\nsleep ${m} & sleep ${m}\nwait\necho finished`, { onStdout: (c) => (stdout += c) }, { signal: abort.signal, tag: `cancel-${m}` }));
    await waitFor("both sleeps to run", () => processesWith(m).length === 2);

    const abortedAt = Date.now();
    abort.abort();
    const { error, at } = await running;
    const latency = at - abortedAt;
    console.log(`cancel latency: ${latency} ms`);

    expect(error).toBeInstanceOf(SshError);
    expect(error?.kind).toBe("cancelled");
    expect(error?.message).toBe(`The command was cancelled; it is no longer running on ${SSHD_ADDRESS}.`);
    expect(latency).toBeLessThan(10_000);
    expect(processesWith(m)).toEqual([]);
    expect(stdout).toBe("started\n");
    // The connection stays usable.
    expect(await session.exec("exit 3")).toEqual({ exitCode: 3, signal: null });
  });

  it("a script that ignores TERM is killed after the grace period", async () => {
    const session = await connect();
    const m = marker();
    const abort = new AbortController();
    const running = outcome(session.exec(`trap '' TERM HUP PIPE\nsleep ${m} &\nsleep ${m}\nwait`, {}, { signal: abort.signal }));
    await waitFor("both sleeps to run", () => processesWith(m).length === 2);

    const abortedAt = Date.now();
    abort.abort();
    const { error, at } = await running;
    console.log(`cancel latency with TERM ignored: ${at - abortedAt} ms`);
    expect(error?.kind).toBe("cancelled");
    expect(at - abortedAt).toBeGreaterThanOrEqual(4_500);
    expect(at - abortedAt).toBeLessThan(12_000);
    expect(processesWith(m)).toEqual([]);
  });

  it("a timeout stops the command too, and says so", async () => {
    const session = await connect();
    const m = marker();
    const startedAt = Date.now();
    // Callers that pass a plain number (milliseconds) keep working.
    const { error, at } = await outcome(session.exec(`sleep ${m} &\nsleep ${m}\nwait`, {}, 2_000));
    console.log(`timeout of 2 s settled after ${at - startedAt} ms`);
    expect(error?.kind).toBe("timeout");
    expect(error?.message).toBe(`The command on ${SSHD_ADDRESS} did not finish within 2 s; it was stopped.`);
    expect(at - startedAt).toBeGreaterThanOrEqual(2_000);
    expect(at - startedAt).toBeLessThan(10_000);
    expect(processesWith(m)).toEqual([]);
  });

  it("a cancel right after the start, before the script was even sent, runs nothing", async () => {
    const session = await connect();
    const flag = `/tmp/sp-sshsession-${randomBytes(6).toString("hex")}`;
    const abort = new AbortController();
    const running = outcome(session.exec(`touch ${flag}; sleep 5`, {}, { signal: abort.signal }));
    abort.abort();
    const { error } = await running;
    expect(error?.kind).toBe("cancelled");
    expect(existsSync(flag)).toBe(false);

    const already = new AbortController();
    already.abort();
    expect((await outcome(session.exec(`touch ${flag}`, {}, { signal: already.signal }))).error?.kind).toBe("cancelled");
    expect(existsSync(flag)).toBe(false);
    rmSync(flag, { force: true });
  });

  it("stops a leftover of an earlier attempt with the same tag before starting again", async () => {
    const tag = `step-run-${randomBytes(6).toString("hex")}`;
    const m = marker();
    const first = await connect();
    let started = false;
    // Ignores HUP and PIPE: nothing stops it when its connection goes away, as after `kill -9` of the server.
    const attempt = outcome(first.exec(`trap '' HUP PIPE\necho started\nsleep ${m}\necho after`, { onStdout: () => (started = true) }, { tag }));
    await waitFor("the first attempt to run", () => started && processesWith(m).length === 1);
    first.close();
    const dropped = await attempt;
    expect(dropped.error?.kind).toBe("dropped");
    await new Promise((r) => setTimeout(r, 500));
    expect(processesWith(m)).toHaveLength(1);

    const second = await connect();
    let leftovers = 0;
    let stdout = "";
    const result = await second.exec("echo fresh", { onStdout: (c) => (stdout += c), onLeftoverStopped: () => leftovers++ }, { tag, stopLeftover: true });
    expect(leftovers).toBe(1);
    expect(result).toEqual({ exitCode: 0, signal: null });
    expect(stdout).toBe("fresh\n");
    expect(processesWith(m)).toEqual([]);

    // A finished command with the same tag is no leftover.
    await second.exec("echo again", { onLeftoverStopped: () => leftovers++ }, { tag, stopLeftover: true });
    expect(leftovers).toBe(1);
  });

  it("never shows the script, or a secret in it, in the host's process list", async () => {
    const session = await connect();
    const m = marker();
    const secret = `fake-secret-${randomBytes(8).toString("hex")}`;
    const abort = new AbortController();
    const running = outcome(session.exec(`SECRET_PASS='${secret}'\nexport SECRET_PASS\nsleep ${m}`, {}, { signal: abort.signal, tag: "secret-test" }));
    await waitFor("the script to run", () => processesWith(m).length === 1);

    const lines = commandLines();
    expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    expect(lines.filter((l) => l.includes("SECRET_PASS"))).toEqual([]);
    abort.abort();
    expect((await running).error?.kind).toBe("cancelled");
  });

  it("the wrapper makes a group of its own when its parent did not (a forking login shell), and root's record is in /run/stackpilot", async () => {
    // Run here, without sshd: a child of this process shares its process group, like a command a
    // login shell forked instead of exec'ing it. The wrapper must move itself into a new group.
    const tag = `local-${randomBytes(6).toString("hex")}`;
    const nonce = randomNonce();
    const m = marker();
    const child = spawn("bash", ["-c", wrapperCommand()], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    child.stdin.end(`${wrapperHeader(tag, nonce)}sleep ${m} & sleep ${m}\nwait\n`);
    await waitFor("both sleeps to run", () => processesWith(m).length === 2);

    const record = readFileSync(`/run/stackpilot/${tag}.pgid`, "utf8").trim().split(" ");
    // Checked before anything is killed: a record of this test runner's own group must never be used.
    expect(Number(record[0])).toBe(child.pid);
    expect(record[3]).toBe(nonce);
    expect(statSync("/run/stackpilot").mode & 0o777).toBe(0o700);
    const pgid = Number(readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ")[2]);
    expect(pgid).toBe(child.pid);

    const stop = spawnSync("bash", ["-c", stopCommand(tag, { graceMs: 5000 })], { encoding: "utf8" });
    expect(stop.stdout).toBe("stopped\n");
    expect(await exited).toBe("SIGTERM");
    expect(processesWith(m)).toEqual([]);
    expect(existsSync(`/run/stackpilot/${tag}.pgid`)).toBe(false);
    expect(stderr).toBe("");
    // Nothing left to stop.
    expect(spawnSync("bash", ["-c", stopCommand(tag, { graceMs: 5000 })], { encoding: "utf8" }).stdout).toBe("none\n");
  });

  it("when the connection itself is gone, rejects as dropped without hanging", async () => {
    const relay = await startRelay(RELAY_ADDRESS, PORT, SSHD_ADDRESS, PORT);
    try {
      const session = await connect(RELAY_ADDRESS);
      const m = marker();
      const abort = new AbortController();
      const running = outcome(session.exec(`sleep ${m}`, {}, { signal: abort.signal }));
      await waitFor("the script to run", () => processesWith(m).length === 1);

      // The network goes silent: nothing arrives any more, no FIN, no RST.
      relay.blackhole();
      const abortedAt = Date.now();
      abort.abort();
      const { error, at } = await running;
      console.log(`cancel on a silent connection settled after ${at - abortedAt} ms`);
      expect(error?.kind).toBe("dropped");
      expect(at - abortedAt).toBeLessThan(10_000);
      expect(session.isUsable()).toBe(false);
      await expect(session.exec("true")).rejects.toMatchObject({ kind: "dropped" });
    } finally {
      relay.close();
    }
  });
});

/** Runs `script` the way commands ran before: `bash -s` on a channel of a plain ssh2 connection. */
function plainBashS(script: string): Promise<{ stdout: string; stderr: string; exitCode: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on("error", reject);
    client.on("ready", () =>
      client.exec("bash -s", (error, channel) => {
        if (error) return reject(error);
        let stdout = "";
        let stderr = "";
        let exitCode: number | null = null;
        let signal: string | null = null;
        channel.on("data", (c: Buffer) => (stdout += c));
        channel.stderr.on("data", (c: Buffer) => (stderr += c));
        channel.on("exit", (code: number | null, sig?: string) => ((exitCode = code), (signal = sig ?? null)));
        channel.on("close", () => {
          client.end();
          resolve({ stdout, stderr, exitCode, signal });
        });
        channel.end(script);
      }),
    );
    client.connect({ host: SSHD_ADDRESS, port: PORT, username: sshd.user, password: sshd.password });
  });
}

/** A TCP relay that can stop forwarding in both directions while keeping its sockets open. */
function startRelay(address: string, port: number, toAddress: string, toPort: number): Promise<{ blackhole(): void; close(): void }> {
  const sockets = new Set<net.Socket>();
  let silent = false;
  const server = net.createServer((inbound) => {
    const outbound = net.connect({ host: toAddress, port: toPort });
    sockets.add(inbound).add(outbound);
    inbound.on("data", (d) => silent || outbound.write(d));
    outbound.on("data", (d) => silent || inbound.write(d));
    for (const [a, b] of [[inbound, outbound], [outbound, inbound]]) {
      a.on("error", () => b.destroy());
      a.on("close", () => b.destroy());
    }
  });
  return new Promise((resolve) =>
    server.listen(port, address, () =>
      resolve({
        blackhole: () => (silent = true),
        close: () => {
          server.close();
          sockets.forEach((s) => s.destroy());
        },
      }),
    ),
  );
}
