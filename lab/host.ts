// One lab host: a systemd-nspawn container with systemd as PID 1, booted inside the host's
// network namespace, tracked by PID, and ready when its sshd sends a banner.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureHostCgroups, inCgroups, removeHostCgroups } from "./cgroup";
import { labStatePaths, type LabConfig, type LabFeature, type PlannedHost } from "./config";
import { LabError } from "./errors";
import { pollUntil, readSshBanner } from "./probe";
import { childPids, runningPid, startDetached, stopTracked, type TrackedProcess } from "./processes";

/**
 * What each feature adds to nspawn; libvirt/qemu and Neutron linuxbridge need them all. No device
 * cgroup stands in the way: without systemd on the machine nobody installs a DeviceAllow= filter,
 * so a bound device node is usable as it is.
 */
const FEATURE_ARGS: Record<LabFeature, { args: string[]; env: Record<string, string> }> = {
  tun: { args: ["--bind=/dev/net/tun"], env: {} }, // tap devices for guests
  kvm: { args: ["--bind=/dev/kvm"], env: {} },
  "all-capabilities": { args: ["--capability=all"], env: {} },
  // Writable /proc/sys: net.* is per namespace, but kernel.* and vm.* writes reach the machine.
  "writable-proc-sys": { args: [], env: { SYSTEMD_NSPAWN_API_VFS_WRITABLE: "yes" } },
};

/** The features this machine can give: binding a /dev/kvm that is not there would stop nspawn. */
export function availableFeatures(features: LabFeature[], exists: (file: string) => boolean = existsSync): LabFeature[] {
  return features.filter((f) => f !== "kvm" || exists("/dev/kvm"));
}

export interface NspawnInvocation {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * Pure: the command line that boots a host. nspawn runs *inside* the host's netns (nsenter), so
 * the sysfs it mounts for the container shows the host's own NICs; --network-namespace-path
 * would show the machine's. Not `ip netns exec`: its fresh /sys hides the cgroup mounts nspawn
 * needs ("Failed to determine whether the unified cgroups hierarchy is used").
 * --register=no --keep-unit: this machine has no systemd/machined to register with.
 */
export function nspawnInvocation(
  host: PlannedHost,
  rootfs: string,
  aptArchive: string,
  features: LabFeature[],
): NspawnInvocation {
  const extras = features.map((f) => FEATURE_ARGS[f]);
  return {
    command: "nsenter",
    args: [
      `--net=/run/netns/${host.netns}`,
      "systemd-nspawn",
      "--boot",
      "--register=no",
      "--keep-unit",
      `--machine=${host.name}`,
      `--directory=${rootfs}`,
      "--console=read-only", // boot messages go to the host's console.log, no tty needed
      "--link-journal=no",
      "--resolv-conf=off",
      `--bind=${aptArchive}:/var/cache/apt/archives`,
      ...extras.flatMap((e) => e.args),
    ],
    env: Object.assign({}, ...extras.map((e) => e.env)),
  };
}

export function consoleLogPath(config: LabConfig, host: PlannedHost): string {
  return path.join(labStatePaths(config.stateDir).hostDir(host.name), "console.log");
}

function trackedHost(config: LabConfig, host: PlannedHost, rootfs: string): TrackedProcess {
  return {
    label: `host ${host.name}`,
    pidFile: path.join(labStatePaths(config.stateDir).runDir, `${host.name}.pid`),
    marker: `--directory=${rootfs}`,
  };
}

export function hostPid(config: LabConfig, host: PlannedHost, rootfs: string): Promise<number | null> {
  return runningPid(trackedHost(config, host, rootfs));
}

export async function bootHost(config: LabConfig, host: PlannedHost, rootfs: string, aptArchive: string): Promise<number> {
  const nspawn = nspawnInvocation(host, rootfs, aptArchive, availableFeatures(config.features));
  await removeHostCgroups(host.name); // whatever an earlier, crashed boot left
  const launch = inCgroups(await ensureHostCgroups(host.name), nspawn.command, nspawn.args);
  const log = consoleLogPath(config, host);
  await writeFile(log, "", { mode: 0o600 }); // one boot per log, so its tail is about this boot
  return startDetached(trackedHost(config, host, rootfs), launch.command, launch.args, log, { ...process.env, ...nspawn.env });
}

/**
 * SIGTERM makes nspawn ask the container's systemd to power off. If that hangs, SIGKILL the
 * container's PID 1: its whole PID namespace goes with it, then nspawn exits by itself.
 */
export async function stopHost(config: LabConfig, host: PlannedHost, rootfs: string): Promise<boolean> {
  const tracked = trackedHost(config, host, rootfs);
  const stopped = await stopTracked(tracked, 20_000, async (pid) => {
    for (const child of await childPids(pid)) process.kill(child, "SIGKILL");
  });
  await removeHostCgroups(host.name);
  return stopped;
}

async function consoleTail(config: LabConfig, host: PlannedHost, lines = 25): Promise<string> {
  const text = await readFile(consoleLogPath(config, host), "utf8").catch(() => "");
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
  return plain.trimEnd().split("\n").slice(-lines).map((l) => `    | ${l}`).join("\n");
}

/** Waits for the SSH banner; fails early if nspawn died, and either way shows the boot log's tail. */
export async function waitForSsh(config: LabConfig, host: PlannedHost, rootfs: string): Promise<string> {
  let died = false;
  const banner = await pollUntil(async () => {
    if (!(await hostPid(config, host, rootfs))) {
      died = true;
      return "";
    }
    return readSshBanner(host.managementIp, 22, 1000);
  }, config.bootTimeoutMs);
  if (banner) return banner;
  const what = died ? "stopped during boot" : `did not answer on ${host.managementIp}:22 within ${config.bootTimeoutMs / 1000} s`;
  throw new LabError(
    `host ${host.name} ${what}; last lines of ${consoleLogPath(config, host)}:\n${await consoleTail(config, host)}`,
    "run `npm run lab:down` to clean up; LAB_BOOT_TIMEOUT=<seconds> gives slow machines longer",
  );
}
