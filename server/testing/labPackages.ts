import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { LabHost, LabState } from "@/lab/state";
import { installStep } from "@/lib/playbook/packages";
import type { PlaybookInput } from "@/lib/playbook/playbookInput";
import { DISTRO_FACTS } from "@/lib/playbook/profiles";
import type { Playbook } from "@/lib/playbook/types";
import { shellQuote } from "@/lib/shell/quote";

/**
 * A package install to cut off on the lab's controller, for the tests of the package steps'
 * recovery (server/deploy/packageRecovery.lab.test.ts, e2e/packageRecovery.spec.ts): a playbook of
 * one package step built by the same function the real install steps use (installStep), so it
 * carries the real recovery, and what those tests do on the host around it, as root over SSH.
 *
 * vim and NumPy: ten packages, ~3 s of dpkg work on ct, installed by no real step. They are
 * downloaded before each test so the step goes straight to dpkg, and purged after.
 */
export const LAB_PACKAGES = ["vim", "python3-numpy"];
export const LAB_PACKAGE_STEP = "drill.packages";

export const labPackagePlaybook = (input: PlaybookInput): Playbook => ({
  profile: input.profile,
  phases: [{ key: "base", title: "Packages", steps: [installStep(DISTRO_FACTS[input.profile], LAB_PACKAGE_STEP, "Install vim and NumPy", LAB_PACKAGES, 600)] }],
});

const run = promisify(execFile);

/** Runs a bash script on a lab host as root (on stdin; the password through sshpass's file); its stdout, trimmed. */
export async function onLabHost(lab: LabState, host: LabHost, script: string, timeoutMs = 120_000): Promise<string> {
  const ssh = ["-f", lab.rootPasswordFile, "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-p", String(host.sshPort)];
  const child = run("sshpass", [...ssh, `${lab.rootUser}@${host.managementIp}`, "bash -s"], { timeout: timeoutMs });
  child.child.stdin!.end(script);
  return (await child).stdout.trim();
}

/** The lab host the package step installs on, seen from a test. */
export type LabPackageHost = {
  host: LabHost;
  run(script: string, timeoutMs?: number): Promise<string>;
  /** Every package dpkg knows as installed (or half-installed). */
  installed(): Promise<Set<string>>;
  /** What `dpkg --audit` and dpkg's journal hold: "" when the package database is clean. */
  audit(): Promise<string>;
  /** Resolves once dpkg has been at work on the host for `seconds` (the step is mid-install). */
  dpkgAtWork(seconds?: number): Promise<void>;
  /** The dpkg and apt-get processes running on the host, one "PID name" a line ("" for none). */
  packageProcesses(): Promise<string>;
  /** kill -9 of dpkg and apt-get, as when the machine loses power in the middle of an install. */
  killPackageManager(): Promise<void>;
  /** Puts the packages in apt's cache, so that the step spends its time in dpkg, not downloading. */
  download(): Promise<void>;
  /**
   * Purges the packages and the dependencies they brought (also those an earlier, broken run left:
   * what apt would now autoremove and would not before), whatever state dpkg was left in.
   */
  purge(): Promise<void>;
  /** purge(), and what the suite left in apt's cache and in /tmp removed: the host as it was found. */
  restore(): Promise<void>;
};

/**
 * The host named `name` of the lab, with what it holds now noted (what apt would autoremove, what
 * is in apt's cache, what installing the packages would add), so that purge() and restore() take
 * away only what the suite added.
 */
export async function labPackageHost(lab: LabState, name = "ct"): Promise<LabPackageHost> {
  const host = lab.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`The lab has no host named ${name}.`);
  const onHost = (script: string, timeoutMs?: number) => onLabHost(lab, host, script, timeoutMs);
  const lines = (text: string) => text.split("\n").filter(Boolean);
  const autoremovable = async () => new Set(lines(await onHost("apt-get autoremove -s | awk '$1 == \"Remv\" {print $2}'")));
  const cachedArchives = async () => new Set(lines(await onHost("ls /var/cache/apt/archives | grep '\\.deb$' || true")));
  // apt-get's own temporary directories: one is left behind by each apt-get killed or cancelled mid-install.
  const aptTempDirs = async () => new Set(lines(await onHost("ls -d /tmp/apt-dpkg-install-* 2>/dev/null || true")));

  const autoremovableBefore = await autoremovable();
  const cachedBefore = await cachedArchives();
  const aptTempDirsBefore = await aptTempDirs();
  const addedByInstall = lines(await onHost(`apt-get install -s -y --no-install-recommends ${LAB_PACKAGES.join(" ")} | awk '$1 == "Inst" {print $2}'`));
  const ours = new Set([...LAB_PACKAGES, ...addedByInstall]);

  const purge = async () => {
    await onHost(
      [
        "export DEBIAN_FRONTEND=noninteractive",
        "timeout 120 bash -c 'while pgrep -x dpkg >/dev/null || pgrep -x apt-get >/dev/null; do sleep 0.2; done'",
        "dpkg --configure -a >/dev/null 2>&1; apt-get -f install -y -q >/dev/null 2>&1",
        `apt-get purge -y -q ${[...ours].join(" ")} >/dev/null 2>&1 || true`,
      ].join("\n"),
    );
    const added = [...(await autoremovable())].filter((pkg) => !autoremovableBefore.has(pkg));
    if (added.length > 0) await onHost(`DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ${added.join(" ")} >/dev/null`);
  };

  return {
    host,
    run: onHost,
    installed: async () => new Set(lines(await onHost("dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n' | awk '$1 != \"un\" {print $2}'"))),
    audit: () => onHost("dpkg --audit; ls -A /var/lib/dpkg/updates"),
    dpkgAtWork: async (seconds = 1) => {
      await onHost(`timeout 120 bash -c 'until pgrep -x dpkg >/dev/null; do sleep 0.05; done' && sleep ${seconds}`);
    },
    packageProcesses: () => onHost("pgrep -a -x 'dpkg|apt-get' || true"),
    killPackageManager: async () => {
      await onHost("pkill -KILL -x dpkg; pkill -KILL -x apt-get; true");
    },
    download: async () => {
      await onHost(`DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --download-only ${LAB_PACKAGES.join(" ")} >/dev/null`);
    },
    purge,
    restore: async () => {
      await purge();
      // Archives are named <package>_<version>_<arch>.deb.
      const downloaded = [...(await cachedArchives())].filter((file) => !cachedBefore.has(file) && ours.has(file.split("_")[0]));
      if (downloaded.length > 0) await onHost(`cd /var/cache/apt/archives && rm -f -- ${downloaded.map(shellQuote).join(" ")}`);
      const leftBehind = [...(await aptTempDirs())].filter((dir) => !aptTempDirsBefore.has(dir));
      if (leftBehind.length > 0) await onHost(`rm -rf -- ${leftBehind.map(shellQuote).join(" ")}`);
    },
  };
}
