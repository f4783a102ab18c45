import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ssh2, { type Client } from "ssh2";
import type { LoopbackSshd } from "@/server/testing/loopbackSshd";
import { drillPlanUpdate } from "@/server/testing/drillPlan";
import { createTestContext } from "@/server/testing/testContext";
import type { BenchKey } from "./hosts";
import { SYNTHETIC_COMMANDS, syntheticPlaybook } from "./playbooks";

/** Wall time of one way of running the synthetic workload on the hosts, in seconds. */
export type Timed = {
  seconds: number;
  /** CPU time of this (the runner's) process meanwhile, where it is the one doing the work. */
  cpuSeconds?: number;
  note?: string;
};

const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * StackPilot's runner as the server runs it: DeployJob with its state machine, one SSH session per
 * host, the log pipeline and SQLite (a scratch database with the real migrations). Timed from
 * start() to the run's end, connections included.
 */
export async function runWithStackPilot(hosts: LoopbackSshd[]): Promise<Timed> {
  const ctx = await createTestContext({}, { playbookFor: syntheticPlaybook });
  try {
    const plan = await ctx.plans.createTutorialPlan();
    await ctx.plans.update(plan.id, drillPlanUpdate(plan.settings, hosts, () => "bench-unused-password"));
    const forRun = (await ctx.plans.loadForRun(plan.id))!;
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const { run } = await ctx.deploy.start(forRun);
    await ctx.deploy.idle();
    const seconds = since(start);
    const { user, system } = process.cpuUsage(cpu);
    const done = (await ctx.runs.get(run.id))!;
    if (done.status !== "succeeded") throw new Error(`The synthetic run ended ${done.status}: ${done.error}`);
    const lines = await ctx.db.logLine.count({ where: { runId: run.id } });
    return { seconds, cpuSeconds: (user + system) / 1e6, note: `${done.stepRuns.length} step runs, ${lines} log lines stored` };
  } finally {
    await ctx.dispose();
  }
}

/**
 * The floor for any ssh2-based runner: a bare script with one ssh2 connection per host
 * (setNoDelay on) and one exec channel per command, every command on all hosts before the next.
 */
export async function runWithBareSsh2(hosts: LoopbackSshd[]): Promise<Timed> {
  const start = process.hrtime.bigint();
  const clients = await Promise.all(
    hosts.map(
      (h) =>
        new Promise<Client>((resolve, reject) => {
          const client = new ssh2.Client();
          client.once("ready", () => {
            client.setNoDelay(true);
            resolve(client);
          });
          client.once("error", reject);
          client.connect({ host: h.address, port: h.port, username: h.user, password: h.password });
        }),
    ),
  );
  try {
    for (const command of SYNTHETIC_COMMANDS) {
      await Promise.all(
        clients.map(
          (client) =>
            new Promise<void>((resolve, reject) =>
              client.exec(command, (error, channel) => {
                if (error) return reject(error);
                channel.on("data", () => undefined);
                channel.stderr.on("data", () => undefined);
                channel.on("close", () => resolve());
              }),
            ),
        ),
      );
    }
    return { seconds: since(start) };
  } finally {
    clients.forEach((c) => c.end());
  }
}

/** ssh options shared by plain OpenSSH and Ansible: by key only, no known_hosts. */
const SSH_OPTIONS = ["BatchMode=yes", "IdentitiesOnly=yes", "StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null", "LogLevel=ERROR"];

function sshOptions(key: BenchKey): string[] {
  return [...SSH_OPTIONS.flatMap((o) => ["-o", o]), "-i", key.privateKeyFile];
}

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: options.env ?? process.env, cwd: options.cwd });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.slice(0, 3).join(" ")}… exited ${code}: ${out.slice(-2000)}`))));
  });
}

/**
 * Plain OpenSSH, one ControlMaster connection per host (opened in the timed span), each command
 * as its own `ssh` over the master; like the runner, every command on all hosts before the next.
 */
export async function runWithOpenSsh(hosts: LoopbackSshd[], key: BenchKey): Promise<Timed> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-bench-cm-"));
  const socket = (i: number) => path.join(dir, `cm-${i}`);
  const target = (h: LoopbackSshd) => [...sshOptions(key), "-p", String(h.port), `${h.user}@${h.address}`];
  try {
    const start = process.hrtime.bigint();
    await Promise.all(hosts.map((h, i) => run("ssh", ["-M", "-S", socket(i), "-o", "ControlPersist=yes", "-f", "-N", ...target(h)])));
    for (const command of SYNTHETIC_COMMANDS) {
      await Promise.all(hosts.map((h, i) => run("ssh", ["-S", socket(i), ...target(h), command])));
    }
    return { seconds: since(start) };
  } finally {
    await Promise.all(hosts.map((h, i) => run("ssh", ["-S", socket(i), "-O", "exit", ...target(h)]).catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Debian's Ansible: the same commands as `shell` tasks, gather_facts off, forks = hosts, pipelining
 * on, ControlMaster=auto with ControlPersist, by key; a fresh control path per run (cold start
 * included, as an operator's run has it).
 */
export async function runWithAnsible(hosts: LoopbackSshd[], key: BenchKey, strategy: "linear" | "free"): Promise<Timed> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-bench-ansible-"));
  const controlDir = path.join(dir, "cp");
  try {
    writeFileSync(
      path.join(dir, "inventory.ini"),
      ["[bench]", ...hosts.map((h, i) => `h${i} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${h.user}`), ""].join("\n"),
    );
    writeFileSync(
      path.join(dir, "ansible.cfg"),
      [
        "[defaults]",
        `forks = ${Math.max(hosts.length, 5)}`,
        "host_key_checking = False",
        "interpreter_python = /usr/bin/python3",
        `private_key_file = ${key.privateKeyFile}`,
        `local_tmp = ${path.join(dir, "tmp")}`,
        "retry_files_enabled = False",
        "",
        "[ssh_connection]",
        "pipelining = True",
        `ssh_args = -o ControlMaster=auto -o ControlPersist=60s ${SSH_OPTIONS.map((o) => `-o ${o}`).join(" ")}`,
        `control_path_dir = ${controlDir}`,
        "",
      ].join("\n"),
    );
    const tasks = SYNTHETIC_COMMANDS.map((command, i) => [`    - name: s${i + 1}`, `      shell: ${JSON.stringify(command)}`].join("\n"));
    writeFileSync(path.join(dir, "play.yml"), [`- hosts: bench`, `  gather_facts: false`, `  strategy: ${strategy}`, `  tasks:`, ...tasks, ""].join("\n"));
    const start = process.hrtime.bigint();
    await run("ansible-playbook", ["-i", "inventory.ini", "play.yml"], { cwd: dir, env: { ...process.env, ANSIBLE_CONFIG: path.join(dir, "ansible.cfg"), ANSIBLE_NOCOLOR: "1" } });
    return { seconds: since(start) };
  } finally {
    // The masters Ansible left (ControlPersist): closed now rather than in 60 s.
    const sockets = (() => {
      try {
        return readdirSync(controlDir).map((f) => path.join(controlDir, f));
      } catch {
        return [];
      }
    })();
    await Promise.all(sockets.map((s) => run("ssh", ["-S", s, "-O", "exit", "bench"]).catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  }
}
