import { randomBytes } from "node:crypto";
import { diagnose, hintText, type Triage, type TriageSection } from "@/lib/runs/triage";
import { shellQuote } from "@/lib/shell/quote";
import type { SshSession } from "../ssh/sshSession";

export type { Triage } from "@/lib/runs/triage";

/** What triage needs of a session: an SshSession, or anything that runs a script the same way. */
export type TriageSession = Pick<SshSession, "exec"> & Partial<Pick<SshSession, "isUsable" | "target">>;

export type TriageInput = {
  /** The failed step's host session; null when there is none (the connection never came up). */
  session: TriageSession | null;
  /** The step's systemd units (Step.services). */
  services: string[];
  /** The step's log lines, oldest first. */
  logTail: string[];
  /** The step run's error. */
  error: string;
  /** Masks the plan's secrets; applied to every text returned. */
  redact: (text: string) => string;
  /** How long the host may take to answer (all commands together). */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 20_000;
/** Each command on the host gets this long (coreutils' timeout, where the host has it). */
const COMMAND_TIMEOUT_S = 8;
const LAST_LINES = 50;
/** At most this many units are asked about (a step names one to three). */
const MAX_UNITS = 6;
/** A section keeps its last lines up to these limits: the triage is stored with the step run. */
const SECTION_MAX_LINES = 200;
const SECTION_MAX_CHARS = 32_000;
const OUTPUT_MAX_BYTES = 1_000_000;

/** Unit names as systemctl takes them; anything else is not sent to the host. */
const UNIT_NAME = /^[A-Za-z0-9@_:.\\-]+$/;

type Probe = { title: string; command: string; script: string; probe: NonNullable<TriageSection["probe"]> };

/** The commands, as shown, and the script lines that run them (output and errors together). */
function probesFor(units: string[]): Probe[] {
  const run = (command: string) => `t ${command} 2>&1`;
  const probes: Probe[] = [];
  for (const unit of units) {
    const q = shellQuote(unit);
    probes.push({
      title: `${unit}: status`,
      probe: { kind: "status", unit },
      command: `systemctl status ${unit} --no-pager -l`,
      script: [
        "if ! command -v systemctl >/dev/null 2>&1; then",
        `  echo ${shellQuote(`systemctl is not available on this host (no systemd), so the status of ${unit} cannot be shown.`)}`,
        "elif [ ! -d /run/systemd/system ]; then",
        `  echo ${shellQuote(`systemd is not running on this host (systemctl is installed, but PID 1 is not systemd), so the status of ${unit} cannot be shown.`)}`,
        "else",
        // Exit code 3 (inactive) and 4 (no such unit) are answers too.
        `  ${run(`systemctl status ${q} --no-pager -l`)} || true`,
        "fi",
      ].join("\n"),
    });
    probes.push({
      title: `${unit}: journal (last 50 lines)`,
      probe: { kind: "journal", unit },
      command: `journalctl -u ${unit} -n 50 --no-pager`,
      script: [
        "if ! command -v journalctl >/dev/null 2>&1; then",
        `  echo ${shellQuote(`journalctl is not available on this host (no systemd journal), so the log of ${unit} cannot be shown.`)}`,
        "else",
        `  ${run(`journalctl -u ${q} -n 50 --no-pager`)} || true`,
        "fi",
      ].join("\n"),
    });
  }
  probes.push({
    title: "Listening TCP ports",
    probe: { kind: "ports" },
    command: "ss -ltnp",
    script: [
      "if command -v ss >/dev/null 2>&1; then",
      `  ${run("ss -ltnp")} || true`,
      "elif command -v netstat >/dev/null 2>&1; then",
      "  echo 'ss is not available on this host; netstat -ltnp instead:'",
      `  ${run("netstat -ltnp")} || true`,
      "else",
      "  echo 'Neither ss nor netstat is available on this host (iproute2 or net-tools is not installed), so its listening ports cannot be shown.'",
      "fi",
    ].join("\n"),
  });
  return probes;
}

/**
 * One read-only script: each probe after a marker line of its own (a random token no output can
 * guess, and the probe's number). The group reads /dev/null, so nothing swallows the script on
 * stdin; LC_ALL=C keeps the messages diagnose knows in English.
 */
function triageScript(marker: string, probes: Probe[]): string {
  return [
    "{",
    "export LC_ALL=C SYSTEMD_PAGER=cat PAGER=cat SYSTEMD_COLORS=0",
    `t() { if command -v timeout >/dev/null 2>&1; then timeout ${COMMAND_TIMEOUT_S} "$@"; else "$@"; fi; }`,
    ...probes.flatMap((probe, i) => [`printf '\\n%s %d\\n' ${marker} ${i}`, probe.script]),
    `printf '\\n%s end\\n' ${marker}`,
    "} </dev/null",
  ].join("\n");
}

/** The last lines of a text within the section limits, without blank lines around it. */
function trimOutput(text: string): string {
  const lines = text.split("\n");
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  const dropped = Math.max(0, lines.length - SECTION_MAX_LINES);
  let kept = lines.slice(dropped).join("\n");
  let note = dropped > 0 ? `… (the first ${dropped} lines are left out)` : null;
  if (kept.length > SECTION_MAX_CHARS) {
    kept = kept.slice(-SECTION_MAX_CHARS);
    note = "… (the beginning is left out)";
  }
  return note ? `${note}\n${kept}` : kept;
}

/**
 * Splits the script's output at its marker lines: each probe's raw output, or null when it never
 * started; `finished` once the end marker came.
 */
function splitOutput(output: string, marker: string, count: number): { outputs: (string | null)[]; finished: boolean } {
  const outputs: (string[] | null)[] = Array.from({ length: count }, () => null);
  let current = -1;
  let finished = false;
  for (const line of output.split("\n")) {
    if (line.startsWith(`${marker} `)) {
      const what = line.slice(marker.length + 1);
      const index = Number(what);
      if (what === "end") {
        finished = true;
        current = -1;
        continue;
      }
      if (/^\d+$/.test(what) && index < count) {
        current = index;
        outputs[index] = [];
        continue;
      }
    }
    if (current >= 0) outputs[current]!.push(line);
  }
  return { outputs: outputs.map((lines) => (lines === null ? null : lines.join("\n"))), finished };
}

function hostLabel(session: TriageSession | null): string {
  return session?.target?.host ?? "the host";
}

/**
 * Asks the failed step's host about the step's services — `systemctl status` and the journal of
 * each unit, the listening TCP ports — in one read-only script over the step's session, and
 * puts it together with the step's last log lines and a hint for a known error. Never throws:
 * a host that cannot be asked gives a section saying so. Every text is redacted.
 */
export async function collectTriage(input: TriageInput): Promise<Triage> {
  const { session, redact } = input;
  const lastLines = input.logTail.slice(-LAST_LINES).map((line) => redact(line));
  const error = redact(input.error);
  const units = [...new Set(input.services)].slice(0, MAX_UNITS);
  const refused = units.filter((unit) => !UNIT_NAME.test(unit) || unit.startsWith("-"));
  const probes = probesFor(units.filter((unit) => !refused.includes(unit)));

  let sections: Triage["sections"];
  try {
    sections = [...refused.map((unit) => ({ title: unit, command: "", output: "Not a systemd unit name: not asked on the host." })), ...(await askHost(session, probes, input.timeoutMs ?? DEFAULT_TIMEOUT_MS, redact))];
  } catch (failure) {
    // askHost does not throw; this is the last guard of "never throws".
    sections = [{ title: `${hostLabel(session)} could not be asked`, command: "", output: `Triage failed: ${String(failure)}` }];
  }
  sections = sections.map((s) => ({ ...s, title: redact(s.title), command: redact(s.command), output: redact(s.output) }));

  // The step's own words first: its error and log say more about this failure than the journal.
  const diagnosis = diagnose([error, ...lastLines].join("\n")) ?? diagnose(sections.map((s) => s.output).join("\n"));
  // `hint` stays the English sentence (the runner's log line, older readers); `diagnosis` says it in any language.
  return { hint: diagnosis && hintText("en", diagnosis), diagnosis, lastLines, sections };
}

async function askHost(session: TriageSession | null, probes: Probe[], timeoutMs: number, redact: (text: string) => string): Promise<Triage["sections"]> {
  const host = hostLabel(session);
  const commands = probes.map((p) => p.command).join("; ");
  if (!session) return [{ title: `${host} could not be asked`, command: commands, output: "There is no SSH connection to this host, so its services could not be inspected." }];
  if (session.isUsable && !session.isUsable()) {
    return [{ title: `${host} could not be asked`, command: commands, output: `The SSH connection to ${host} is closed or lost, so its services could not be inspected.` }];
  }

  const marker = `@@stackpilot-triage-${randomBytes(8).toString("hex")}@@`;
  // Every command's errors go to stdout (2>&1), next to its output; the channel's stderr only
  // carries the shell's own complaints, kept apart so they cannot split a marker line.
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let bytes = 0;
  const keep = (into: Buffer[]) => (chunk: Buffer) => {
    if (bytes >= OUTPUT_MAX_BYTES) return;
    into.push(chunk);
    bytes += chunk.length;
  };
  let failure: string | null = null;
  try {
    await session.exec(triageScript(marker, probes), { onStdout: keep(stdout), onStderr: keep(stderr) }, timeoutMs);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const output = Buffer.concat(stdout).toString("utf8");
  const complaints = Buffer.concat(stderr).toString("utf8").trim();
  const { outputs: raw, finished } = splitOutput(output, marker, probes.length);
  // Redacted whole, before any cut: a cut must not leave half a secret unmasked.
  const outputs = raw.map((text) => (text === null ? null : trimOutput(redact(text))));
  const stopped = (failure ?? "the host stopped answering").replace(/\.$/, "");

  if (outputs.every((o) => o === null)) {
    const said = [output, complaints].filter((t) => t.trim()).join("\n");
    const reason = failure ?? (said ? `it answered something else:\n${trimOutput(redact(said))}` : "it answered nothing");
    return [{ title: `${host} could not be asked`, command: commands, output: `The commands could not run on ${host}: ${reason}` }];
  }
  const lastStarted = outputs.findLastIndex((o) => o !== null);
  return probes.map((probe, i) => {
    const text = outputs[i];
    let out: string;
    if (text === null) out = `Not asked (${stopped}).`;
    else if (!finished && i === lastStarted) out = `${text}${text ? "\n" : ""}… (cut off: ${stopped})`;
    else out = text || "(no output)";
    return { title: probe.title, command: probe.command, output: out, probe: probe.probe };
  });
}
