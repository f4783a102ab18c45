import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { shellQuote } from "../shell/quote";
import type { PlaybookInput } from "./playbookInput";
import { DISTRO_FACTS } from "./profiles";
import { hostVariables, renderHostScript, scriptForRunner, secretsForHost } from "./renderScript";
import { scriptLibrary } from "./scriptLibrary";
import type { ServiceSecret } from "./serviceSecrets";
import type { Playbook, Script, Step } from "./types";

const input: PlaybookInput = {
  profile: "centos7-train",
  scope: "tutorial",
  hosts: [
    { id: "h1", name: "ctl", role: "controller", managementIp: "10.0.0.11", natIp: "10.1.0.11" },
    { id: "h2", name: "cmp", role: "compute", managementIp: "10.0.0.21", natIp: "10.1.0.21" },
  ],
  options: { ntpServer: "ntp.example", managementCidr: "10.0.0.0/24", centosRepository: "vault", centosRepositoryUrl: "", regionName: "RegionOne", imageName: "cirros", providerCidr: "", providerGateway: "", floatingIpStart: "", floatingIpEnd: "", selfServiceCidr: "" },
};
const [controller, compute] = input.hosts;

/** Values that break naive quoting: quotes, substitutions, backticks, newlines, globs, options. */
const HOSTILE: Record<string, string> = {
  QUOTES: `it's "quoted" '' \\' '\\''`,
  SUBSTITUTION: "$(touch pwned-1) ${HOME} $HOME",
  BACKTICKS: "`touch pwned-2`",
  NEWLINES: "line 1\nline 2\n\n",
  BACKSLASHES: "\\ \\\\ \\n \\t",
  GLOB_AND_OPTION: "-n *",
  EMPTY: "",
  SPACES: "  leading and trailing  ",
  UNICODE: "pâss wörd 密码 ✓",
  SEPARATORS: "a; touch pwned-3 && b | c & d > pwned-4",
};

/** Runs a script in local bash in an empty directory; NUL-separated output is split. */
function runLocally(text: string, env: Record<string, string> = {}) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "sp-render-"));
  const result = spawnSync("bash", ["-c", text], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  const pwned = ["pwned-1", "pwned-2", "pwned-3", "pwned-4"].filter((f) => existsSync(path.join(cwd, f)));
  return { ...result, pwned };
}

const printAll = (names: string[]): Script => ({ body: `printf '%s\\0' ${names.map((n) => `"$${n}"`).join(" ")}`, secrets: [] });

describe("scriptForRunner", () => {
  it("puts strict mode, then export NAME=<shellQuote(value)> lines, then the profile's library, then the body", () => {
    const variables = { SP_HOST_NAME: "ctl", ADMIN_PASS: "a b'c", RABBIT_PASS: "plain" };
    for (const profile of ["centos7-train", "debian12-zed"] as const) {
      const text = scriptForRunner({ body: "echo the body", secrets: ["ADMIN_PASS"] }, { ...input, profile }, variables);
      const lines = text.split("\n");
      expect(lines.slice(0, 5)).toEqual([
        "set -eo pipefail",
        "export LC_ALL=C.UTF-8 LANG=C.UTF-8",
        "export SP_HOST_NAME=ctl",
        `export ADMIN_PASS=${shellQuote("a b'c")}`,
        "export RABBIT_PASS=plain",
      ]);
      const library = scriptLibrary(DISTRO_FACTS[profile]);
      expect(text.indexOf(library)).toBe(lines.slice(0, 5).join("\n").length + 1);
      expect(text.endsWith(`${library}\necho the body\n`)).toBe(true);
    }
  });

  it("hands every hostile value to the body unchanged, running nothing it contains", () => {
    const names = Object.keys(HOSTILE);
    const result = runLocally(scriptForRunner(printAll(names), input, HOSTILE));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\0").slice(0, -1)).toEqual(Object.values(HOSTILE));
    expect(result.pwned).toEqual([]);
  });

  it("keeps the values off the command line: they are in the script text, which the runner sends on stdin", () => {
    const text = scriptForRunner({ body: "true", secrets: ["ADMIN_PASS"] }, input, { ADMIN_PASS: "s3cret value" });
    expect(text).toContain("export ADMIN_PASS='s3cret value'\n");
  });
});

describe("renderHostScript", () => {
  const s = (body: string, secrets: ServiceSecret[] = []): Script => ({ body, secrets });
  const step = (key: string, roles: Step["roles"], more: Partial<Step>): Step => ({ key, title: key, roles, apply: s("true"), timeoutSeconds: 10, ...more });
  const playbook: Playbook = {
    profile: "centos7-train",
    phases: [
      {
        key: "base",
        title: "First",
        steps: [
          step("base.done", ["controller", "compute"], { check: s("echo CHECK-NOISE; true"), apply: s("echo APPLIED-done"), verify: s("echo VERIFIED-done") }),
          step("base.todo", ["controller"], {
            check: s("false"),
            apply: s('echo "APPLIED-todo on $SP_HOST_NAME with $ADMIN_PASS"', ["ADMIN_PASS"]),
            verify: s("echo VERIFIED-todo"),
            outputs: { names: ["TOKEN"], script: s("echo 'TOKEN=a=b c'") },
          }),
          step("base.local", ["controller"], { outputs: { names: ["LOCAL_ONLY"], script: s("echo 'LOCAL_ONLY=kept here'") } }),
          step("base.always", ["controller"], { apply: s('echo "APPLIED-always TOKEN=$TOKEN"'), imports: ["TOKEN"] }),
          step("base.compute", ["compute"], { check: s("false"), apply: s('echo "APPLIED-compute TOKEN=$TOKEN"'), imports: ["TOKEN"] }),
        ],
      },
      {
        key: "chrony",
        title: "Second",
        steps: [
          step("chrony.half-done", ["controller"], { check: s("false\ntrue"), apply: s("echo APPLIED-half-done") }),
          step("chrony.fails", ["controller"], { check: s("false"), apply: s("echo APPLIED-fails; false"), verify: s("echo VERIFIED-fails") }),
          step("chrony.after", ["controller"], { apply: s("echo APPLIED-after") }),
        ],
      },
    ],
  };
  const run = (host: PlaybookInput["hosts"][number], env: Record<string, string>) => runLocally(renderHostScript(playbook, host, input), env);

  it("skips a step whose check passes (its output hidden), applies and verifies one whose check fails, in order", () => {
    const result = run(controller, { ADMIN_PASS: "pw" });
    const out = result.stdout;
    expect(out).not.toContain("CHECK-NOISE");
    expect(out).not.toContain("APPLIED-done");
    expect(out).toMatch(/base\.done: base\.done\n\[stackpilot\]   already done, skipped/);
    expect(out.indexOf("APPLIED-todo on ctl with pw")).toBeGreaterThan(-1);
    expect(out.indexOf("VERIFIED-todo")).toBeGreaterThan(out.indexOf("APPLIED-todo"));
  });

  it("passes a step's outputs to the later steps, and prints them for the other hosts' scripts", () => {
    const out = run(controller, { ADMIN_PASS: "pw" }).stdout;
    expect(out).toContain("APPLIED-always TOKEN=a=b c");
    expect(out).toContain("[stackpilot] For the other hosts' scripts: TOKEN=a=b c\n");
    // An output no other host imports stays unprinted.
    expect(out).not.toContain("LOCAL_ONLY");
  });

  it("stops at the first failing apply, without verifying it or running later steps", () => {
    const result = run(controller, { ADMIN_PASS: "pw" });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain("APPLIED-fails");
    expect(result.stdout).not.toContain("VERIFIED-fails");
    expect(result.stdout).not.toContain("APPLIED-after");
    expect(result.stdout).not.toContain("All steps done");
  });

  it("treats a check as failed when any of its lines fails, as the runner's set -e does", () => {
    expect(run(controller, { ADMIN_PASS: "pw" }).stdout).toContain("APPLIED-half-done");
  });

  it("refuses to start without the secrets its host's steps declare, naming them", () => {
    const result = run(controller, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Set ADMIN_PASS before running this script.");
    expect(result.stdout).not.toContain("APPLIED");
    expect(secretsForHost(playbook, controller)).toEqual(["ADMIN_PASS"]);
  });

  it("has only the host's own steps, and asks for what other hosts output", () => {
    const text = renderHostScript(playbook, compute, input);
    expect(text).toContain("# Needs TOKEN: the value the controller's script prints.");
    expect(text).toContain("sp_need TOKEN || exit 1");
    expect(text).not.toContain("base.todo");
    const result = run(compute, { TOKEN: "from ctl" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("APPLIED-compute TOKEN=from ctl");
    expect(result.stdout).not.toMatch(/APPLIED-(todo|always|fails|after)/);
    expect(result.stdout).toContain("All steps done on cmp.");
  });

  it("sets the host's variables from hostile names unchanged", () => {
    const hostile = { ...input, hosts: [{ ...controller, name: HOSTILE.SUBSTITUTION, managementIp: HOSTILE.QUOTES }, { ...compute, name: HOSTILE.NEWLINES }] };
    for (const host of hostile.hosts) {
      const text = renderHostScript({ profile: "centos7-train", phases: [] }, host, hostile);
      const exports = text.slice(text.indexOf("\nexport SP_HOST_NAME="), text.indexOf(scriptLibrary(DISTRO_FACTS["centos7-train"])));
      const variables = hostVariables(host, hostile);
      const result = runLocally(`${exports}\n${printAll(Object.keys(variables)).body}`);
      expect(result.stdout.split("\0").slice(0, -1)).toEqual(Object.values(variables));
      expect(result.pwned).toEqual([]);
    }
  });

  it("keeps plan values inert in its comments and messages too", () => {
    const hostile = { ...input, hosts: [{ ...controller, name: "ctl\ntouch pwned-1\n$(touch pwned-2)" }] };
    const titled: Playbook = {
      profile: "centos7-train",
      phases: [{ key: "glance", title: "Glance", steps: [step("glance.image", ["controller"], { title: "Upload the image x\ntouch pwned-3", check: s("true") })] }],
    };
    const result = runLocally(renderHostScript(titled, hostile.hosts[0], hostile));
    expect(result.pwned).toEqual([]);
    expect(result.stderr).toBe("");
    expect(result.stdout.endsWith(`[stackpilot] All steps done on ${hostile.hosts[0].name}.\n`)).toBe(true);
  });
});
