import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** One line of the results table; `met` is undefined where there is no goal, only a figure. */
export type Row = { measurement: string; figure: string; goal: string; met?: boolean };

export const SECTIONS = ["runner", "logs", "scale", "rerun"] as const;
export type Section = (typeof SECTIONS)[number];

export type SectionResult = { measuredAt: string; loadAverage: string; rows: Row[]; notes: string[] };
export type Results = { machine: Record<string, string>; sections: Partial<Record<Section, SectionResult>> };

const TITLES: Record<Section, string> = {
  runner: "1. Runner overhead (30 steps per host; critical path 2.0 s)",
  logs: "2. Log streaming (one step, 200 000 lines of 100 bytes)",
  scale: "3. Scale (1 controller + 100 computes)",
  rerun: "4. Re-run of the full playbook on the deployed lab",
};

const HOW: Record<Section, string> = {
  runner:
    "Hosts in parallel, against real sshd instances on 127.0.2.x with a clean HOME. **StackPilot**: the real DeployJob (state machine, log pipeline, SQLite on a scratch database with the real migrations), the synthetic playbook injected through `playbookFor`, timed from `start()` to the run's end, connections included. **Ansible**: Debian's package, `shell` tasks, `gather_facts: false`, forks = hosts, pipelining, ControlMaster=auto + ControlPersist=60s, key auth, a cold control path per run, `ansible-playbook` start-up included, one run per strategy. **OpenSSH**: one ControlMaster per host opened in the timed span, each command an `ssh -S` over it. **Bare ssh2**: one connection per host with `setNoDelay(true)`, one exec channel per command, nothing else: the floor for any runner that opens a channel per step. All but Ansible's free strategy run every command on all hosts before the next, as StackPilot does.",
  logs:
    "The real server process (production build, `startServer` with a one-step playbook in which Python prints the lines, each with its print time in microseconds), a socket.io client signed in with the console's setup token that subscribes right after the deployment starts, pages through what was stored before and takes the live lines, dropping repeats by seq. Latency: the print time in the line against the client's clock at receipt (same machine, same clock). Peak RSS: VmHWM of the server process.",
  scale:
    "sshd instances on 127.0.2.1–127.0.2.101, each with its own /etc/hosts in a private mount namespace naming all hosts (the host check resolves every other host's name: no DNS query leaves the machine). **Check hosts** through the server's API, from the POST to the run's end. **Dashboard**: a finished deployment run of the plan (one step on every host) whose 909 port checks (this machine and each compute → ct × 9 ports; 1 in 50 closed) the bench writes to SQLite (the runner would probe them over SSH: same rows, slower setup); Debian's Chromium, headless, a fresh context per load, timed from navigation start until every matrix cell is rendered, the live stream is connected and the main thread answers (a frame, then a task).",
  rerun:
    "The full OpenStack playbook through the runner (DeployJob on a scratch database, the lab's hosts and passwords as the lab tests use them) on the lab of `npm run lab:up`, already deployed: every step's check finds it done (the closing verification runs every time). A lab that is up but not deployed is deployed first (~8 min), timed apart.",
};

/** What bounds each measurement, as found while building the bench (structure, not figures). */
const BOUNDS: Record<Section, string> = {
  runner:
    "What bounds the runner: every step is one exec channel per host and at least two processes there (the wrapper that records the step's process group so a cancel can kill it, which then becomes the script's bash), every step run is recorded twice in SQLite (through Prisma) and its lines logged. A deployment's session keeps a spare wrapper waiting on each host, so a step finds its channel open and its shell started (one loopback host: 13 ms per command without, 7-8 ms with); the work is the same, only off the step's path, and here it runs on the same two cores as everything else. A CPU profile of the 20-host run: about a quarter of the runner's thread in socket writes (on loopback the kernel delivers each SSH packet to sshd inside that write) and about a sixth in Prisma's client. Reaching 1.10 × needs fewer round trips and processes per step than one channel and one shell: one long-lived shell per host fed step after step (its own framing for output and exit codes, and the cancel semantics rebuilt on it), which this branch does not attempt. The connection itself (key exchange and the host's password hash, ~130 ms on one loopback host) is part of every figure.",
  logs:
    "What bounds it: the server holds a host's lines until SQLite has stored them (batches of up to 2 000 lines, then published to the sockets). When more than 10 000 lines wait, it stops reading the step's SSH channel until fewer than 4 000 do, so the host blocks on its writes (backpressure): the host's print time above is that pace, not Python's, and the latency is the wait in that bounded queue plus the SSH window. The peak RSS is mostly garbage from the flood's allocations that V8 lets pile up before it collects. Side runs of the same bench with V8 flags on the server: `--max-old-space-size=256` peaked at 383 MiB (first to last line 7.3 s), `--optimize-for-size` at 356 MiB (11.7 s, p50 latency 2.2 s). StackPilot sets neither: a hard heap cap turns a big report into a crashed server, and the other halves the log throughput. The figure before the step (the Next.js server, the tsx loader, Prisma) is itself near or above 300 MB; it lost ~25 MiB when next.config became plain JavaScript (no SWC compiler loaded at start).",
  scale:
    "What bounds the host check here: the 101 check scripts and the 101 connections (each costs the host a password hash) run on this machine's two cores, where real hosts would each do their own share. Each script resolves the other 100 names with one getent (one per name only when some name does not resolve: with a getent, an awk and a sort per name the check took 40 s). SSH handshakes run 16 at a time (all 101 at once, each took seconds and, on a loaded machine, they missed the 10 s ready timeout together); the ready timeout starts once a handshake has its slot, so the connection times in the notes include the wait for one.",
  rerun: "",
};

const CAVEAT =
  "Loopback hosts share this machine's cores with the runner, the server and the browser: every command's sshd, login shell, wrapper and script run here too, so 20 or 101 \"hosts\" cost what one real host costs, times 20 or 101, on these cores. Real hosts do that work in parallel on their own CPUs.";

export function loadResults(file: string): Results | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Results) : null;
}

/** The sections measured now replace their earlier figures; the others stay as they were. */
export function mergeResults(earlier: Results | null, now: Results): Results {
  return { machine: now.machine, sections: { ...(earlier?.sections ?? {}), ...now.sections } };
}

const cell = (text: string) => text.replace(/\|/g, "\\|");
const verdict = (row: Row) => (row.met === undefined ? "" : row.met ? "met" : "**missed**");

export function renderMarkdown(results: Results): string {
  const lines = [
    "# Benchmarks (issue 8)",
    "",
    "Written by `npm run bench` (see the README's Benchmarks section). Each section was measured in one run, its baselines in the same run; the time and the load average of that run are given with it. Figures from the issue, measured earlier on this kind of machine, are marked \"earlier\".",
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    ...Object.entries(results.machine).map(([k, v]) => `| ${k} | ${cell(v)} |`),
    "",
    `> ${CAVEAT}`,
    "",
  ];
  for (const section of SECTIONS) {
    const r = results.sections[section];
    lines.push(`## ${TITLES[section]}`, "");
    if (!r) {
      lines.push("Not measured yet.", "");
      continue;
    }
    lines.push(
      `Measured ${r.measuredAt}, load average at the start ${r.loadAverage}.`,
      "",
      "| measurement | figure | baseline / goal | goal |",
      "|---|---|---|---|",
      ...r.rows.map((row) => `| ${cell(row.measurement)} | ${cell(row.figure)} | ${cell(row.goal)} | ${verdict(row)} |`),
      "",
      HOW[section],
      "",
      ...(BOUNDS[section] ? [BOUNDS[section], ""] : []),
      ...r.notes.map((n) => `- ${n}`),
      ...(r.notes.length ? [""] : []),
    );
  }
  return lines.join("\n");
}

export function writeResults(markdownFile: string, results: Results): void {
  writeFileSync(markdownFile.replace(/\.md$/, ".json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdownFile, renderMarkdown(results));
}
