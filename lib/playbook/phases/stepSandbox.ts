import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { allSteps } from "../buildPlaybook";
import type { PlaybookHost, PlaybookInput } from "../playbookInput";
import { DISTRO_FACTS } from "../profiles";
import { hostVariables } from "../renderScript";
import { scriptLibrary } from "../scriptLibrary";
import type { ServiceSecret } from "../serviceSecrets";
import type { Playbook, Script, Step } from "../types";

/** Test passwords that need every kind of escaping (SQL, URL, oslo.config, shell). */
export const SECRET_VALUES: Record<ServiceSecret, string> = {
  MARIADB_ROOT_PASS: `r0ot'pw\\"x`,
  RABBIT_PASS: `rabbit $pw 'x'`,
  KEYSTONE_DBPASS: `ks'db@pw/:%$x`,
  ADMIN_PASS: `adm'in $(pw) "x" \`y\``,
  GLANCE_DBPASS: `gl'db@pw/#?`,
  GLANCE_PASS: `gl$pw 'svc'`,
  PLACEMENT_DBPASS: `pl'db@pw/%$x`,
  PLACEMENT_PASS: `pl$pw 'svc' "q"`,
  NOVA_DBPASS: `nv'db@pw/#?%`,
  NOVA_PASS: `nv$pw 'svc' $(x)`,
  NEUTRON_DBPASS: `ne'db@pw/#?%$x`,
  NEUTRON_PASS: `ne$pw 'svc' "q" \`y\``,
  METADATA_SECRET: `md$secret 'x' %s`,
};

/**
 * Test support for the exported-script tests (centos7Tutorial.test.ts and its siblings): a
 * playbook's steps looked up by key, and a step's script run in local bash as the runner would,
 * with its files moved under a temporary directory and the commands that would change this
 * machine replaced by fakes that log their arguments.
 */

export type Sandbox = {
  /** Files the script finds (absolute paths as on the host), created under the sandbox. */
  files?: Record<string, string>;
  /** Other host paths the script reads or writes: moved under the sandbox too. */
  paths?: string[];
  /** Commands replaced by a logging fake that succeeds. */
  fakes?: string[];
  /** More bash (functions) after the library and fakes. */
  setup?: string;
  host?: PlaybookHost;
  /** Overrides of the environment (a different password, say). */
  env?: Record<string, string>;
};

export type Run = { status: number | null; stdout: string; stderr: string; log: string[]; root: string; at: (hostPath: string) => string };

type Kind = "check" | "apply" | "verify";

/** Python's quote(value, safe=""), what sp_escape url does. */
export const urlEscaped = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
export const sqlEscaped = (value: string) => value.replace(/\\/g, "\\\\").replace(/'/g, "''");

/**
 * The interpreter itself (not a version manager's shim) without site-packages: the library's ini
 * and escape helpers start it once a setting, and need only the standard library.
 */
const PYTHON = `${spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim() || "python3"} -S`;

const FAKE_HELPERS = String.raw`
sp_fake_line() { local a out=(); for a in "$@"; do [[ $a == *" "* || -z $a ]] && a="\"$a\""; out+=("$a"); done; printf '%s' "${"$"}{out[*]}"; }
sp_fake() { { sp_fake_line "$@"; echo; } >> "$SP_TEST_LOG"; }
sp_fake_in() { local input; input=$(cat); { sp_fake_line "$@"; printf ' <%s>\n' "$input"; } >> "$SP_TEST_LOG"; }
`;

/**
 * Fakes with more to say than "done": systemctl show reports services started an hour from now;
 * debconf-set-selections reads its stdin as the real one does (a fake that did not would leave
 * `echo … |` to die of SIGPIPE now and then, failing the step under pipefail).
 */
const FAKE_BODIES: Record<string, string> = {
  systemctl: `sp_fake systemctl "$@"; if [ "$1" = show ]; then printf '%s=%s\\n' "$3" "$(date -d '+1 hour')"; fi`,
  "debconf-set-selections": `cat >/dev/null; sp_fake debconf-set-selections "$@"`,
};

/** A simple ini reader: { section: { key: value } }. */
export function readIni(file: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = "";
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1];
    const setting = /^([^#=\s]+) = (.*)$/.exec(line);
    if (setting) (out[section] ??= {})[setting[1]] = setting[2];
  }
  return out;
}

/** The same sandbox for a second script: its files are there already, only moved. */
export const again = (box: Sandbox, more: Partial<Sandbox> = {}): Sandbox => ({ ...box, files: {}, paths: [...(box.paths ?? []), ...Object.keys(box.files ?? {})], ...more });

/** Lookups and sandboxed runs for one playbook, with test values for the secrets its scripts declare. */
export function stepSandbox(playbook: Playbook, input: PlaybookInput, secretValues: Record<ServiceSecret, string>) {
  const controller = input.hosts.find((h) => h.role === "controller")!;

  function step(key: string): Step {
    const found = allSteps(playbook).find(({ step: s }) => s.key === key);
    if (!found) throw new Error(`No step ${key} in the playbook.`);
    return found.step;
  }

  function scriptOf(key: string, kind: Kind = "apply"): Script {
    const script = step(key)[kind];
    if (!script) throw new Error(`Step ${key} has no ${kind}.`);
    return script;
  }

  const body = (key: string, kind: Kind = "apply") => scriptOf(key, kind).body;

  /** The script's command lines, indentation aside. */
  const linesOf = (key: string, kind: Kind = "apply") => body(key, kind).split("\n").map((line) => line.trim());

  /** Each of the guide's commands is in the step's script. */
  function expectCommands(key: string, kind: Kind, commands: string[]) {
    for (const command of commands) expect(body(key, kind), `${key} ${kind}`).toContain(command);
  }

  /**
   * Runs a script as the runner would on `host` (strict mode, the library, the host's variables and
   * only the secrets the script declares), inside a sandbox. A sandbox may be reused for a second
   * script (the check after the apply).
   */
  function run(script: Script, box: Sandbox = {}, root = mkdtempSync(path.join(os.tmpdir(), "sp-centos-"))): Run {
    const at = (hostPath: string) => path.join(root, hostPath);
    let text = script.body;
    for (const [file, content] of Object.entries(box.files ?? {})) {
      mkdirSync(path.dirname(at(file)), { recursive: true });
      writeFileSync(at(file), content);
    }
    for (const p of [...Object.keys(box.files ?? {}), ...(box.paths ?? [])]) {
      mkdirSync(path.dirname(at(p)), { recursive: true });
      text = text.replaceAll(p, at(p));
    }
    // A redirection to a host path would change this machine: refuse rather than run it.
    const escaping = [...text.replace(/'[^']*'/g, "''").matchAll(/>>?\s*(\/[^\s;)]+)/g)].map((m) => m[1]).filter((p) => !p.startsWith(root) && p !== "/dev/null");
    if (escaping.length > 0) throw new Error(`The script writes outside the sandbox: ${escaping.join(", ")}`);
    const log = path.join(root, "commands.log");
    writeFileSync(log, "", { flag: "a" });
    const declared = Object.fromEntries(script.secrets.map((name) => [name, secretValues[name]]));
    const fakes = (box.fakes ?? []).map((name) => `${name}() { ${FAKE_BODIES[name] ?? `sp_fake ${name} "$@"`}; }`);
    const library = scriptLibrary({ ...DISTRO_FACTS[input.profile], python: PYTHON });
    const result = spawnSync("bash", ["-c", ["set -eo pipefail", library, FAKE_HELPERS, ...fakes, box.setup ?? "", text].join("\n")], {
      encoding: "utf8",
      input: "",
      env: { ...process.env, ...hostVariables(box.host ?? controller, input), ...declared, SP_TEST_LOG: log, SP_TEST_ROOT: root, ...box.env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, log: readFileSync(log, "utf8").split("\n").filter(Boolean), root, at };
  }

  /** Applies a step in a sandbox, then runs its check there: the check must see the work done. */
  function applyThenCheck(key: string, box: Sandbox = {}) {
    const applied = run(scriptOf(key, "apply"), box);
    expect(applied.stderr).toBe("");
    expect(applied.status).toBe(0);
    const check = run(scriptOf(key, "check"), again(box), applied.root);
    expect(check.status, check.stderr).toBe(0);
    return applied;
  }

  return { step, scriptOf, body, linesOf, expectCommands, run, applyThenCheck };
}
