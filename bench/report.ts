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
    "What bounds the runner: every step is at least one exec channel per host (a round trip to open it) and three processes on the host (the login shell, the wrapper that records the step's process group so a cancel can kill it, the script's bash), and every step run is recorded twice in SQLite and logged. The bare ssh2 script does one channel and one shell per command and nothing else: it is the floor for a runner built this way (the earlier figures for it, 2.35 s and 2.94 s, are already above 1.10 × and close to 1.40 × the critical path). Going below it needs the next step's channel and shell ready before the step starts, or one long-lived shell per host: a change of design this branch does not attempt. At 20 hosts the loopback hosts' processes and the runner (one Node thread) share the same two cores.",
  logs:
    "What bounds it: the server reads a host's output as fast as it comes and holds the lines until SQLite has stored them (in batches, then published to the sockets); nothing slows the host down (no backpressure on the SSH channel). A step that prints faster than the writer stores therefore holds most of its output in memory at once: that is the peak RSS above the figure before the step, and the latency is time spent in that queue. The figure before the step (the Next.js server, the tsx loader, Prisma) is itself above 300 MB.",
  scale:
    "What bounds the host check here: each host's check script resolves every other host's name (getent, awk and sort per name): 101 × 100 lookups and some 30 000 processes, all on this machine's cores, where real hosts would each do their 100 lookups on their own. The SSH connections themselves are ready within the time given in the notes.",
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
