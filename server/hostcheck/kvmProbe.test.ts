import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { virtualizationLines } from "./kvmProbe";
import { parseHostFacts } from "./parseHostFacts";

/** Runs the host check's virtualisation sections on this machine, as the host check would. */
function probeHere(options: { path?: string; asUser?: string } = {}) {
  const script = ["section() { printf '\\n@@%s\\n' \"$*\"; }", ...virtualizationLines()].join("\n");
  const [command, args] = options.asUser ? ["runuser", ["-u", options.asUser, "--", "/bin/bash", "-s"]] : ["/bin/bash", ["-s"]];
  const env = options.path ? { ...process.env, PATH: options.path } : process.env;
  const output = execFileSync(command, args, { input: script, encoding: "utf8", env, timeout: 15_000 });
  return parseHostFacts(output, Date.now()).virtualization!;
}

function canOpenKvm(): boolean {
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// Independent of the probe: hardware-assisted KVM needs the CPU's vmx/svm flag and an openable
// /dev/kvm. (Where /dev/kvm runs guests without the flag, e.g. nested PVM, it traps every
// instruction: emulation speed, which the probe must reject.)
const cpuFlag = /\b(vmx|svm)\b/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? null;
const hardwareKvm = cpuFlag !== null && canOpenKvm();

describe("the /dev/kvm probe, run on this machine", () => {
  it(`finds KVM ${hardwareKvm ? "usable" : "unusable"} here, as the CPU flag and /dev/kvm say, with the reason`, () => {
    const started = Date.now();
    const v = probeHere();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(v.cpuFlag).toBe(cpuFlag);
    expect(v.kvmUsable).toBe(hardwareKvm);
    if (hardwareKvm) expect(v.reason).toMatch(/^a test guest ran at hardware speed \(30000 loop iterations in [\d.]+ ms\)$/);
    else if (!existsSync("/dev/kvm")) expect(v.reason).toBe("/dev/kvm is missing");
    else if (!canOpenKvm()) expect(v.reason).toMatch(/^opening \/dev\/kvm read-write failed: Permission denied/);
    // /dev/kvm opens but is no hardware virtualisation: the test guest must show why.
    else expect(v.reason).toMatch(/^a test guest runs, but at emulation speed \(30000 loop iterations took \d+ ms|^KVM_|^the test guest/);
  });

  it.skipIf(process.getuid?.() !== 0 || !existsSync("/dev/kvm"))("names the user when the SSH login may not open /dev/kvm", () => {
    const v = probeHere({ asUser: "nobody" });
    expect(v).toMatchObject({ kvmUsable: false, reason: "opening /dev/kvm read-write failed: Permission denied (as user nobody)" });
  });

  // CentOS 7's `python` is 2.7: the same probe, the same verdict.
  const python27 = ["/root/.pyenv/versions/2.7.18/bin", "/usr/bin"].find((dir) => existsSync(`${dir}/python2.7`));
  it.skipIf(!python27 || !existsSync("/dev/kvm"))("gives the same verdict under python 2.7", () => {
    // A PATH with the script's tools and `python` 2.7 only, no python3.
    const shim = mkdtempSync(path.join(os.tmpdir(), "kvm-probe-py27-"));
    symlinkSync(`${python27}/python2.7`, `${shim}/python`);
    for (const tool of ["grep", "head", "tail", "cat", "timeout"]) symlinkSync(execFileSync("/bin/sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), `${shim}/${tool}`);
    const v = probeHere({ path: shim });
    rmSync(shim, { recursive: true });
    expect(v.kvmUsable).toBe(hardwareKvm);
    expect(v.reason).not.toMatch(/could not run|Traceback|Error/);
  });
});
