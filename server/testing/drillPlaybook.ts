import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PlaybookInput } from "@/lib/playbook/playbookInput";
import type { Playbook, Script, Step } from "@/lib/playbook/types";
import { shellQuote } from "@/lib/shell/quote";

/**
 * A playbook for testing the runner itself on real hosts: each step's behaviour is steered by
 * files the test writes under `dir` (on the host; loopback test hosts share this machine's disk).
 *
 * - drill.prepare: marks the host prepared and prints DRILL_MARK (an output later steps read).
 * - drill.gate: fails with a database "Access denied" until `<dir>/<host>/gate-open` exists.
 * - drill.long: ticks once a second for `<dir>/<host>/long-seconds` (or else `<dir>/long-seconds`) seconds (a `sleep` named
 *   `drill-sleep-<host>` in the process list), then records DRILL_MARK.
 * - drill.flood (controller): prints `<dir>/flood-lines` numbered lines as fast as it can.
 * - drill.secret (controller): prints ADMIN_PASS in two writes 200 ms apart, never whole in one chunk.
 */
export function drillPlaybook(dir: string): (input: PlaybookInput) => Playbook {
  const D = shellQuote(dir);
  const here = `${D}/"$SP_HOST_NAME"`;
  const sh = (lines: string[], secrets: Script["secrets"] = []): Script => ({ body: lines.join("\n"), secrets });
  const step = (key: string, title: string, rest: Omit<Step, "key" | "title" | "timeoutSeconds" | "roles"> & Partial<Pick<Step, "roles" | "timeoutSeconds">>): Step => ({
    key,
    title,
    roles: ["controller", "compute"],
    timeoutSeconds: 600,
    ...rest,
  });
  return (input) => ({
    profile: input.profile,
    phases: [
      {
        key: "preflight",
        title: "Drill",
        steps: [
          step("drill.prepare", "Prepare the host", {
            check: sh([`[ -f ${here}/prepared ]`]),
            apply: sh([`mkdir -p ${here}`, `echo prepared > ${here}/prepared`, 'echo "prepared $SP_HOST_NAME"']),
            outputs: { names: ["DRILL_MARK"], script: sh(['echo "DRILL_MARK=mark-of-$SP_HOST_NAME"']) },
          }),
          step("drill.gate", "Pass the gate", {
            check: sh([`[ -f ${here}/gate-passed ]`]),
            apply: sh([
              `if [ -f ${here}/gate-open ]; then touch ${here}/gate-passed; echo "gate passed"; exit 0; fi`,
              `echo "ERROR 1045 (28000): Access denied for user 'keystone'@'$SP_HOST_NAME' (using password: YES)" >&2`,
              "exit 3",
            ]),
          }),
          step("drill.long", "Work for a while", {
            imports: ["DRILL_MARK"],
            check: sh([`[ -f ${here}/long-done ]`]),
            apply: sh([
              `n=$(cat ${here}/long-seconds 2>/dev/null || cat ${D}/long-seconds 2>/dev/null || echo 0)`,
              'for i in $(seq 1 "$n"); do echo "tick $i of $n"; (exec -a "drill-sleep-$SP_HOST_NAME" sleep 1); done',
              `echo "$DRILL_MARK" > ${here}/long-done`,
            ]),
          }),
          step("drill.flood", "Print many lines", {
            roles: ["controller"],
            apply: sh([`n=$(cat ${D}/flood-lines 2>/dev/null || echo 0)`, 'seq 1 "$n" | sed "s/^/flood line /"']),
          }),
          step("drill.secret", "Print a secret in two pieces", {
            roles: ["controller"],
            apply: sh(['printf "the secret is %s" "${ADMIN_PASS:0:6}"', "sleep 0.2", 'printf "%s, said in two pieces\\n" "${ADMIN_PASS:6}"'], ["ADMIN_PASS"]),
          }),
        ],
      },
    ],
  });
}

/**
 * The test's hand on the drill: writes and removes steering files under `dir`. The drill runs as
 * the test user, so files and directories are made world-writable.
 */
export function drillSteering(dir: string) {
  return {
    steer(file: string, content = "") {
      const target = path.join(dir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      chmodSync(path.dirname(target), 0o777);
      writeFileSync(target, content);
      chmodSync(target, 0o666);
    },
    unsteer(file: string) {
      rmSync(path.join(dir, file), { force: true });
    },
  };
}

/** The drill's `sleep` processes still running for a host (test hosts share this machine's process list). */
export function drillSleepers(host: string): string[] {
  try {
    return execFileSync("pgrep", ["-af", `drill-sleep-${host}`], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
