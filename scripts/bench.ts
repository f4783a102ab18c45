import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { benchHostName, makeBenchKey, startBenchHosts, type BenchKey } from "../bench/hosts";
import { measureLogStreaming, type StreamingResult } from "../bench/logStreaming";
import { describeMachine } from "../bench/machine";
import { loadResults, mergeResults, SECTIONS, writeResults, type Results, type Row, type Section } from "../bench/report";
import { CRITICAL_PATH_S } from "../bench/playbooks";
import { readLabState } from "../lab/state";
import { measureRerun, type RerunResult } from "../bench/rerun";
import { runWithAnsible, runWithBareSsh2, runWithOpenSsh, runWithStackPilot, type Timed } from "../bench/runnerOverhead";
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
 *   --lab                            for the re-run: bring the lab up first (and down after) if it is down
 *   --repeat N                       runs of the runner and of OpenSSH per host count (median; default 3)
 */

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const quick = argv.includes("--quick");
const only = new Set((option("--only") ?? SECTIONS.join(",")).split(","));
const out = option("--out") ?? (quick ? undefined : "bench/RESULTS.md");
const repeat = Number(option("--repeat") ?? 3);
const HOST_COUNTS = quick ? [3] : [3, 20];
const FLOOD_LINES = quick ? 20_000 : 200_000;
const SCALE_HOSTS = quick ? 10 : 101;
// The bench's own server ports (3300–3399).
const LOGS_PORT = 3301;
const SCALE_PORT = 3302;

const measured: Results["sections"] = {};
let current: { rows: Row[]; notes: string[] } = { rows: [], notes: [] };
/** Starts a section: the rows and notes after this belong to it. */
const section = (name: Section) => {
  current = { rows: [], notes: [] };
  measured[name] = { measuredAt: new Date().toISOString(), loadAverage: loadAverage(), ...current };
  if (testsRunning()) current.notes.push("Tests were running on this machine when this section started: its figures suffered from it.");
};
const testsRunning = () => spawnSync("pgrep", ["-af", "vitest|playwright|scripts/test-all"], { encoding: "utf8" }).stdout.trim();
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(", ");
const note = (text: string) => current.notes.push(text);
const row = (measurement: string, figure: string, goal: string, met?: boolean) => {
  current.rows.push({ measurement, figure, goal, met });
  console.log(`  ${measurement}: ${figure}  [${goal}] ${met === undefined ? "" : met ? "met" : "MISSED"}`);
};
const s = (x: number) => `${x.toFixed(2)} s`;
const samples = (runs: Timed[]) => runs.map((r) => r.seconds.toFixed(2)).join(", ");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function preflight() {
  if (process.getuid?.() !== 0) throw new Error("Run the bench as root: it starts sshd instances and adds a user for them.");
  // OpenSSH's server, Chromium and the lab's tools, as npm test installs them (a no-op when present).
  execFileSync("bash", ["scripts/install-test-deps.sh"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (only.has("runner") && spawnSync("ansible-playbook", ["--version"]).error) {
    console.log("Installing Debian's ansible (apt-get install -y ansible) …");
    execFileSync("apt-get", ["install", "-y", "ansible"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  }
  if ((only.has("logs") || only.has("scale")) && !existsSync(".next/BUILD_ID")) {
    console.log("No production build yet: next build …");
    execFileSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const busy = testsRunning();
  if (busy) console.log(`Warning: tests are running on this machine; the figures will suffer:\n${busy}`);
}

async function benchRunner(key: BenchKey) {
  const reference: Record<number, { ansibleFree: number; openssh: number; ssh2: number; ssh2NoDelay: number }> = {
    3: { ansibleFree: 9.2, openssh: 2.58, ssh2: 3.64, ssh2NoDelay: 2.35 },
    20: { ansibleFree: 49.7, openssh: 4.55, ssh2: 3.79, ssh2NoDelay: 2.94 },
  };
  section("runner");
  for (const count of HOST_COUNTS) {
    console.log(`Runner overhead, ${count} hosts (30 steps each, critical path ${CRITICAL_PATH_S} s) …`);
    const hosts = await startBenchHosts(count, key);
    try {
      const ours: Timed[] = [];
      const openssh: Timed[] = [];
      const bare: Timed[] = [];
      let linear: Timed | undefined;
      let free: Timed | undefined;
      // Interleaved, so a passing load spike does not fall on one contender only.
      for (let i = 0; i < repeat; i++) {
        ours.push(await runWithStackPilot(hosts.hosts));
        openssh.push(await runWithOpenSsh(hosts.hosts, key));
        bare.push(await runWithBareSsh2(hosts.hosts));
        if (i === 0) {
          linear = await runWithAnsible(hosts.hosts, key, "linear");
          free = await runWithAnsible(hosts.hosts, key, "free");
        }
      }
      const t = median(ours.map((r) => r.seconds));
      const tSsh = median(openssh.map((r) => r.seconds));
      const tBare = median(bare.map((r) => r.seconds));
      const ansible = Math.min(linear!.seconds, free!.seconds);
      const goalRatio = count <= 3 ? 1.1 : 1.4;
      const goalVsAnsible = count <= 3 ? 4 : 15;
      const ref = reference[count];
      row(`${count} hosts: StackPilot runner (median of ${repeat}: ${samples(ours)})`, `${s(t)} = ${(t / CRITICAL_PATH_S).toFixed(2)} × critical path`, `≤ ${goalRatio.toFixed(2)} × ${CRITICAL_PATH_S} s = ${s(goalRatio * CRITICAL_PATH_S)}`, t <= goalRatio * CRITICAL_PATH_S);
      row(`${count} hosts: Ansible shell, linear strategy`, s(linear!.seconds), "", undefined);
      row(`${count} hosts: Ansible shell, free strategy`, s(free!.seconds), ref ? `earlier: ${ref.ansibleFree} s` : "", undefined);
      row(`${count} hosts: StackPilot vs the faster Ansible`, `${(ansible / t).toFixed(1)} × faster`, `≥ ${goalVsAnsible} × faster`, ansible / t >= goalVsAnsible);
      row(`${count} hosts: OpenSSH, one ControlMaster per host (median of ${repeat}: ${samples(openssh)})`, s(tSsh), ref ? `earlier: ${ref.openssh} s; StackPilot faster` : "StackPilot faster", t < tSsh);
      row(`${count} hosts: bare ssh2 script, setNoDelay, one exec channel per command (median of ${repeat}: ${samples(bare)})`, s(tBare), ref ? `earlier: ${ref.ssh2} s, ${ref.ssh2NoDelay} s with setNoDelay; StackPilot faster` : "StackPilot faster", t < tBare);
      note(`Runner, ${count} hosts: ${ours[0].note}; the runner's process used ${samples(ours.map((r) => ({ seconds: r.cpuSeconds ?? NaN })))} s of CPU in those runs (one core at most: Node runs it on one thread).`);
    } finally {
      await hosts.stop();
    }
  }
}

async function benchLogs(): Promise<StreamingResult> {
  section("logs");
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
  section("scale");
  console.log(`Scale: ${SCALE_HOSTS} sshd instances (1 controller + ${SCALE_HOSTS - 1} computes) …`);
  const started = Date.now();
  const hosts = await startBenchHosts(SCALE_HOSTS);
  console.log(`  ${SCALE_HOSTS} sshd instances up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const server = await startBenchServer({ port: SCALE_PORT, playbook: "touch" });
  try {
    const plan = await server.createPlan(hosts.hosts);
    const check = await measureHostCheck(server, plan.id, hosts.hosts);
    row(`Scale: Check hosts, ${check.hosts} hosts (${check.succeeded} succeeded)`, s(check.seconds), "< 20 s", check.seconds < 20 && check.failed.length === 0);
    note(`Check hosts: SSH connections ready in ${check.connectMs.median} ms (median), ${check.connectMs.max} ms (slowest); the first host's check finished ${s(check.firstDoneS)} after the POST, the last ${s(check.lastDoneS)}.`);
    if (check.failed.length > 0) note(`Host check failures: ${check.failed.slice(0, 5).join("; ")}${check.failed.length > 5 ? " …" : ""}`);
    const names = hosts.hosts.map((_, i) => benchHostName(i));
    const { runId, cells } = await deployedRunWithPortMatrix(server, plan.id, names);
    const dashboard = await measureDashboard(server, runId, `port-${names[names.length - 1]}-ct-9292`, 4);
    const [first, ...rest] = dashboard.loadsMs;
    const warm = median(rest);
    row(`Scale: dashboard interactive in Chromium, ${SCALE_HOSTS}-host port matrix (${dashboard.cells} cells shown of ${cells}), first load`, `${first} ms`, "< 2 s", first < 2000);
    row(`Scale: the same, median of ${rest.length} more loads (fresh contexts: ${rest.join(", ")} ms)`, `${warm} ms`, "< 2 s", warm < 2000);
    const phase = (p: DashboardResult["phases"][number]) => `HTML ${p.responseEnd}, DOMContentLoaded ${p.domContentLoaded}, matrix complete ${p.matrix}, stream live ${p.live}`;
    note(`Dashboard loads, ms from navigation start (Playwright's clock for the last two, which starts a little earlier): ${dashboard.phases.map(phase).join("; ")}.`);
    note(`Dashboard: the longest total of long tasks on the page during one load was ${dashboard.longTasksMs.toFixed(0)} ms.`);
    return { check, dashboard };
  } finally {
    await server.stop();
    await hosts.stop();
  }
}

async function benchRerun(): Promise<RerunResult> {
  section("rerun");
  console.log("Re-run: the full OpenStack playbook on the deployed lab …");
  // --lab: bring the lab up for this (and down after) when it is not up already.
  const bringUp = argv.includes("--lab") && !(await readLabState());
  const lab = (command: "up" | "down") => execFileSync("node_modules/.bin/tsx", ["lab/cli.ts", command], { stdio: "inherit" });
  if (bringUp) lab("up");
  let r: RerunResult;
  try {
    r = await measureRerun();
  } finally {
    if (bringUp) lab("down");
  }
  if (!r.measured) row("Re-run on the deployed lab (every step skipped)", `not measured: ${r.why}`, "< 60 s", false);
  else {
    row(`Re-run on the deployed lab (${r.skipped} of ${r.stepRuns} step runs skipped; ran: ${r.ran.join(", ") || "none"})`, s(r.seconds), "< 60 s", r.seconds < 60);
    if (r.freshDeploymentS !== null) note(`The lab was deployed first by the bench, in ${r.freshDeploymentS.toFixed(0)} s.`);
  }
  return r;
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
  console.log(`\nDone in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s.`);
  for (const [name, result] of Object.entries(measured)) {
    console.log(`\n${name}`);
    console.table(result.rows.map((r) => ({ measurement: r.measurement, figure: r.figure, "baseline / goal": r.goal, goal: r.met === undefined ? "" : r.met ? "met" : "MISSED" })));
  }
  if (out) {
    writeResults(out, mergeResults(loadResults(out.replace(/\.md$/, ".json")), { machine, sections: measured }));
    console.log(`Wrote ${out} (and its .json; sections not measured now keep their earlier figures)`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
