import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import { benchHostName, makeBenchKey, startBenchHosts, type BenchKey } from "../bench/hosts";
import { measureLogStreaming, type StreamingResult } from "../bench/logStreaming";
import { describeMachine } from "../bench/machine";
import { CRITICAL_PATH_S } from "../bench/playbooks";
import { measureRerun, type RerunResult } from "../bench/rerun";
import { runWithAnsible, runWithOpenSsh, runWithStackPilot, type Timed } from "../bench/runnerOverhead";
import { deployedRunWithPortMatrix, measureDashboard, measureHostCheck, type DashboardResult, type HostCheckResult } from "../bench/scale";
import { startBenchServer } from "../bench/serverProcess";

/**
 * `npm run bench` (issue 8): runner overhead against the critical path, Ansible and OpenSSH; log
 * streaming through the real server; host check and dashboard at 101 hosts; the all-skipped re-run
 * on the lab. Prints a table and writes it with the machine's description to bench/RESULTS.md.
 *
 *   --only runner,logs,scale,rerun   a subset (default: all four)
 *   --quick                          small sizes for a trial (3 hosts, 20 000 lines, 10 hosts); writes no RESULTS.md unless --out
 *   --out FILE                       where the Markdown goes (default bench/RESULTS.md)
 *   --repeat N                       runs of the runner and of OpenSSH per host count (median; default 3)
 */

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const quick = argv.includes("--quick");
const only = new Set((option("--only") ?? "runner,logs,scale,rerun").split(","));
const out = option("--out") ?? (quick ? undefined : "bench/RESULTS.md");
const repeat = Number(option("--repeat") ?? 3);
const HOST_COUNTS = quick ? [3] : [3, 20];
const FLOOD_LINES = quick ? 20_000 : 200_000;
const SCALE_HOSTS = quick ? 10 : 101;
// The bench's own server ports (3300–3399).
const LOGS_PORT = 3301;
const SCALE_PORT = 3302;

type Row = { measurement: string; figure: string; goal: string; verdict: "met" | "missed" | "—" };
const rows: Row[] = [];
const notes: string[] = [];
const row = (measurement: string, figure: string, goal: string, met?: boolean) => {
  const r: Row = { measurement, figure, goal, verdict: met === undefined ? "—" : met ? "met" : "missed" };
  rows.push(r);
  console.log(`  ${r.measurement}: ${r.figure}  [${r.goal}] ${r.verdict}`);
};
const s = (x: number) => `${x.toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function preflight() {
  if (process.getuid?.() !== 0) throw new Error("Run the bench as root: it starts sshd instances and adds a user for them.");
  if (only.has("runner") && spawnSync("ansible-playbook", ["--version"]).error) {
    console.log("Installing Debian's ansible (apt-get install -y ansible) …");
    execFileSync("apt-get", ["install", "-y", "ansible"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  }
  if ((only.has("logs") || only.has("scale")) && !existsSync(".next/BUILD_ID")) {
    console.log("No production build yet: next build …");
    execFileSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const busy = spawnSync("pgrep", ["-af", "vitest|playwright|scripts/test-all"], { encoding: "utf8" }).stdout.trim();
  if (busy) console.log(`Warning: tests are running on this machine; the figures will suffer:\n${busy}`);
}

async function benchRunner(key: BenchKey) {
  const reference: Record<number, { ansibleFree: number; openssh: number; ssh2: number; ssh2NoDelay: number }> = {
    3: { ansibleFree: 9.2, openssh: 2.58, ssh2: 3.64, ssh2NoDelay: 2.35 },
    20: { ansibleFree: 49.7, openssh: 4.55, ssh2: 3.79, ssh2NoDelay: 2.94 },
  };
  for (const count of HOST_COUNTS) {
    console.log(`Runner overhead, ${count} hosts (30 steps each, critical path ${CRITICAL_PATH_S} s) …`);
    const hosts = await startBenchHosts(count, key);
    try {
      const ours: Timed[] = [];
      const openssh: Timed[] = [];
      let linear: Timed | undefined;
      let free: Timed | undefined;
      // Interleaved, so a passing load spike does not fall on one contender only.
      for (let i = 0; i < repeat; i++) {
        ours.push(await runWithStackPilot(hosts.hosts));
        openssh.push(await runWithOpenSsh(hosts.hosts, key));
        if (i === 0) {
          linear = await runWithAnsible(hosts.hosts, key, "linear");
          free = await runWithAnsible(hosts.hosts, key, "free");
        }
      }
      const t = median(ours.map((r) => r.seconds));
      const tSsh = median(openssh.map((r) => r.seconds));
      const ansible = Math.min(linear!.seconds, free!.seconds);
      const goalRatio = count <= 3 ? 1.1 : 1.4;
      const goalVsAnsible = count <= 3 ? 4 : 15;
      const ref = reference[count];
      row(`${count} hosts: StackPilot runner (median of ${repeat}: ${ours.map((r) => r.seconds.toFixed(2)).join(", ")})`, `${s(t)} = ${(t / CRITICAL_PATH_S).toFixed(2)} × critical path`, `≤ ${goalRatio.toFixed(2)} × ${CRITICAL_PATH_S} s = ${s(goalRatio * CRITICAL_PATH_S)}`, t <= goalRatio * CRITICAL_PATH_S);
      row(`${count} hosts: Ansible shell, linear strategy`, s(linear!.seconds), "", undefined);
      row(`${count} hosts: Ansible shell, free strategy`, s(free!.seconds), ref ? `earlier: ${ref.ansibleFree} s` : "", undefined);
      row(`${count} hosts: StackPilot vs the faster Ansible`, `${(ansible / t).toFixed(1)} × faster`, `≥ ${goalVsAnsible} × faster`, ansible / t >= goalVsAnsible);
      row(`${count} hosts: OpenSSH, one ControlMaster per host (median of ${repeat}: ${openssh.map((r) => r.seconds.toFixed(2)).join(", ")})`, s(tSsh), ref ? `earlier: ${ref.openssh} s; StackPilot faster` : "StackPilot faster", t < tSsh);
      if (ref) row(`${count} hosts: bare ssh2 script (earlier figures, not re-measured)`, `${ref.ssh2} s; ${ref.ssh2NoDelay} s with setNoDelay`, "StackPilot faster", t < ref.ssh2NoDelay);
      notes.push(`Runner, ${count} hosts: ${ours[0].note}.`);
    } finally {
      await hosts.stop();
    }
  }
}

async function benchLogs(): Promise<StreamingResult> {
  console.log(`Log streaming: ${FLOOD_LINES} lines of 100 bytes through the server to a socket.io client …`);
  const hosts = await startBenchHosts(2);
  const server = await startBenchServer({ port: LOGS_PORT, playbook: "flood", env: { BENCH_FLOOD_LINES: String(FLOOD_LINES) } });
  try {
    const r = await measureLogStreaming(server, hosts.hosts, FLOOD_LINES);
    row(`Log: first to last line at the client (${r.lines} lines; the host printed them in ${s(r.hostPrintS)})`, s(r.firstToLastS), "", undefined);
    row("Log: latency print → receipt, p50", `${r.p50LatencyMs.toFixed(0)} ms`, "", undefined);
    row("Log: latency print → receipt, p95", `${r.p95LatencyMs.toFixed(0)} ms (max ${r.maxLatencyMs.toFixed(0)} ms)`, "", undefined);
    row("Log: lines lost", `${r.lost} (duplicates dropped by seq: ${r.duplicates}, out of order: ${r.outOfOrder})`, "0", r.lost === 0);
    row(`Log: server peak RSS (VmHWM; ${r.idlePeakRssMiB.toFixed(0)} MiB before the step)`, `${r.peakRssMiB.toFixed(0)} MiB`, "< 300 MB", r.peakRssMiB * 1.048576 < 300);
    row("Log: SQLite rows for the run", `${r.sqliteRows} (${r.sqliteFloodRows} flood lines)`, `${r.lines} flood lines`, r.sqliteFloodRows === r.lines);
    return r;
  } finally {
    await server.stop();
    await hosts.stop();
  }
}

async function benchScale(): Promise<{ check: HostCheckResult; dashboard: DashboardResult }> {
  console.log(`Scale: ${SCALE_HOSTS} sshd instances (1 controller + ${SCALE_HOSTS - 1} computes) …`);
  const started = Date.now();
  const hosts = await startBenchHosts(SCALE_HOSTS);
  console.log(`  ${SCALE_HOSTS} sshd instances up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const server = await startBenchServer({ port: SCALE_PORT, playbook: "touch" });
  try {
    const plan = await server.createPlan(hosts.hosts);
    const check = await measureHostCheck(server, plan.id, hosts.hosts);
    row(`Scale: Check hosts, ${check.hosts} hosts (${check.succeeded} succeeded)`, s(check.seconds), "< 20 s", check.seconds < 20 && check.failed.length === 0);
    if (check.failed.length > 0) notes.push(`Host check failures: ${check.failed.slice(0, 5).join("; ")}${check.failed.length > 5 ? " …" : ""}`);
    const names = hosts.hosts.map((_, i) => benchHostName(i));
    const { runId, cells } = await deployedRunWithPortMatrix(server, plan.id, names);
    const dashboard = await measureDashboard(server, runId, `port-${names[names.length - 1]}-ct-9292`, 4);
    const [first, ...rest] = dashboard.loadsMs;
    const warm = median(rest);
    row(`Scale: dashboard interactive in Chromium, ${SCALE_HOSTS}-host port matrix (${dashboard.cells} cells shown of ${cells}), first load`, `${first} ms`, "< 2 s", first < 2000);
    row(`Scale: the same, median of ${rest.length} more loads (fresh contexts: ${rest.join(", ")} ms)`, `${warm} ms`, "< 2 s", warm < 2000);
    notes.push(`Dashboard: the longest total of long tasks on the page during one load was ${dashboard.longTasksMs.toFixed(0)} ms.`);
    return { check, dashboard };
  } finally {
    await server.stop();
    await hosts.stop();
  }
}

async function benchRerun(): Promise<RerunResult> {
  console.log("Re-run: the full OpenStack playbook on the deployed lab …");
  const r = await measureRerun();
  if (!r.measured) row("Re-run on the deployed lab (every step skipped)", `not measured: ${r.why}`, "< 60 s", false);
  else {
    row(`Re-run on the deployed lab (${r.skipped} of ${r.stepRuns} step runs skipped; ran: ${r.ran.join(", ") || "none"})`, s(r.seconds), "< 60 s", r.seconds < 60);
    if (r.freshDeploymentS !== null) notes.push(`The lab was deployed first by the bench, in ${r.freshDeploymentS.toFixed(0)} s.`);
  }
  return r;
}

function markdown(machine: Record<string, string>, startedAt: Date, seconds: number): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "# Benchmarks (issue 8)",
    "",
    `Written by \`npm run bench\` on ${startedAt.toISOString()} (took ${seconds.toFixed(0)} s). Every figure was measured in this run, next to its baseline; earlier figures from the issue are marked "earlier".`,
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    ...Object.entries(machine).map(([k, v]) => `| ${k} | ${cell(v)} |`),
    "",
    "## Results",
    "",
    "| measurement | figure | baseline / goal | goal |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${cell(r.measurement)} | ${cell(r.figure)} | ${cell(r.goal)} | ${r.verdict} |`),
    "",
    "## How",
    "",
    "- **Runner overhead**: 30 steps per host (10 × `true`, 10 × `echo hello`, 10 × `sleep 0.2`), hosts in parallel, against real sshd instances on 127.0.2.x with a clean HOME. StackPilot: the real DeployJob (state machine, log pipeline, SQLite on a scratch database), the playbook injected through `playbookFor`, timed from `start()` to the run's end, connections included. Ansible: Debian's package, `shell` tasks, `gather_facts: false`, forks = hosts, pipelining, ControlMaster=auto + ControlPersist, key auth, a cold control path per run, `ansible-playbook` start-up included. OpenSSH: one ControlMaster per host opened in the timed span, each command an `ssh` over it, every command on all hosts before the next (as the runner and Ansible's linear strategy do).",
    "- **Log streaming**: the real server process (production build, `startServer` with a one-step playbook: Python prints the lines with its clock in each), a socket.io client signed in with the setup token that subscribes right after the deployment starts, pages through what was stored before and takes the live lines, dropping repeats by seq. Latency: the host's print time in the line against the client's clock at receipt (same machine, same clock). Peak RSS: VmHWM of the server process.",
    "- **Scale**: sshd instances on 127.0.2.1–127.0.2.101, each with its own /etc/hosts in a private mount namespace naming all hosts (the host check resolves every other host: no DNS query leaves the machine). Check hosts through the server's API, from the POST to the run's end. The dashboard: a finished deployment run of the plan (one step on every host) whose 909 port checks (this machine and each compute → ct × 9 ports; 1 in 50 closed) the bench writes to SQLite; Chromium (Debian's, headless) in a fresh context per load, from navigation start until every matrix cell is rendered, the live stream is connected and the main thread answers (a frame and a task).",
    "- **Re-run**: the full OpenStack playbook through the runner on the lab (`npm run lab:up`), already deployed: every step finds itself done (the closing verification runs every time).",
    "",
    ...(notes.length ? ["## Notes", "", ...notes.map((n) => `- ${n}`), ""] : []),
  ].join("\n");
}

async function main() {
  preflight();
  const startedAt = new Date();
  const machine = describeMachine();
  console.log(Object.entries(machine).map(([k, v]) => `${k}: ${v}`).join("\n"));
  const key = makeBenchKey();
  try {
    if (only.has("runner")) await benchRunner(key);
    if (only.has("logs")) await benchLogs();
    if (only.has("scale")) await benchScale();
    if (only.has("rerun")) await benchRerun();
  } finally {
    key.dispose();
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  machine["load average at end"] = os.loadavg().map((l) => l.toFixed(2)).join(", ");
  console.log("");
  console.table(rows.map((r) => ({ measurement: r.measurement, figure: r.figure, "baseline / goal": r.goal, goal: r.verdict })));
  if (out) {
    writeFileSync(out, markdown(machine, startedAt, seconds));
    console.log(`Wrote ${out}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
