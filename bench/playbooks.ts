import type { PlaybookInput } from "@/lib/playbook/playbookInput";
import type { Playbook, Step } from "@/lib/playbook/types";

/**
 * The bench's playbooks, injected through AppOptions.playbookFor (as the drill's are): the runner
 * under test is the real one, only the steps are the bench's own.
 */

const step = (key: string, title: string, body: string, roles: Step["roles"] = ["controller", "compute"]): Step => ({
  key,
  title,
  roles,
  timeoutSeconds: 600,
  apply: { body, secrets: [] },
});

/** The commands of issue 8's synthetic workload, in order: 10 × true, 10 × echo hello, 10 × sleep 0.2. */
export const SYNTHETIC_COMMANDS: string[] = [...Array(10).fill("true"), ...Array(10).fill("echo hello"), ...Array(10).fill("sleep 0.2")];
/** Its critical path: the ten sleeps, one after another. */
export const CRITICAL_PATH_S = 2.0;

/** 30 steps on every host (no check, no verify): one step per command. */
export function syntheticPlaybook(input: PlaybookInput): Playbook {
  return {
    profile: input.profile,
    phases: [{ key: "preflight", title: "Synthetic workload", steps: SYNTHETIC_COMMANDS.map((command, i) => step(`bench.s${String(i + 1).padStart(2, "0")}`, command, command)) }],
  };
}

/** Bytes per flood line, the newline included. */
export const FLOOD_LINE_BYTES = 100;

/**
 * One step on the controller printing `lines` lines of exactly 100 bytes as fast as Python can:
 * `flood <index> <microseconds since the epoch at print> ....`. Loopback hosts share this machine's
 * clock, so the receiver can tell each line's latency.
 */
export function floodPlaybook(lines: number): (input: PlaybookInput) => Playbook {
  const program = [
    "import sys, time",
    "w = sys.stdout.write",
    `for i in range(${lines}):`,
    `    head = "flood %07d %016d " % (i, time.time_ns() // 1000)`,
    `    w(head + "." * (${FLOOD_LINE_BYTES - 1} - len(head)) + "\\n")`,
  ].join("\n");
  return (input) => ({
    profile: input.profile,
    phases: [{ key: "preflight", title: "Log flood", steps: [step("bench.flood", "Print many lines", `python3 -c '${program}'`, ["controller"])] }],
  });
}

/** One trivial step on every host: a finished deployment run for the dashboard to show. */
export function touchPlaybook(input: PlaybookInput): Playbook {
  return { profile: input.profile, phases: [{ key: "preflight", title: "Touch", steps: [step("bench.touch", "Touch every host", "true")] }] };
}

/** FLOOD_PARSE.exec(text) → [_, index, microseconds] for a flood line. */
export const FLOOD_PARSE = /^flood (\d{7}) (\d{16}) /;
