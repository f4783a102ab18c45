// A cgroup of its own for each host. With --keep-unit and no machined, nspawn puts the container
// in the cgroup it was started from; three hosts started from the same shell would share one
// tree (one system.slice/ssh.service for three sshd), and a unit stopping on one host would wait
// for the other hosts' processes. So each nspawn starts inside <hierarchy>/stackpilot-lab/<host>.
import { mkdir, readdir, readFile, rmdir } from "node:fs/promises";
import path from "node:path";

const LAB_CGROUP = "stackpilot-lab";

/**
 * Pure: from /proc/self/mountinfo, the hierarchies systemd tracks services in: every cgroup2
 * mount and the v1 "name=systemd" one (on hybrid hosts both, on pure v2 hosts just one).
 */
export function systemdCgroupRoots(mountinfo: string): string[] {
  const roots: string[] = [];
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!right) continue;
    const mountPoint = left.split(" ")[4];
    const [fstype, , superOptions = ""] = right.split(" ");
    if (fstype === "cgroup2" || (fstype === "cgroup" && superOptions.split(",").includes("name=systemd"))) {
      roots.push(mountPoint);
    }
  }
  return roots;
}

async function labCgroupDirs(): Promise<string[]> {
  const roots = systemdCgroupRoots(await readFile("/proc/self/mountinfo", "utf8"));
  return roots.map((root) => path.join(root, LAB_CGROUP));
}

async function hostCgroupDirs(host: string): Promise<string[]> {
  return (await labCgroupDirs()).map((dir) => path.join(dir, host));
}

/** Creates the host's cgroups; returns their cgroup.procs files, to be joined before nspawn starts. */
export async function ensureHostCgroups(host: string): Promise<string[]> {
  const dirs = await hostCgroupDirs(host);
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  return dirs.map((dir) => path.join(dir, "cgroup.procs"));
}

// Fixed script, values only as arguments: join each cgroup.procs given before "--", then exec
// the rest, so the recorded PID is the container's nspawn from its first instruction on.
const JOIN_CGROUPS_AND_EXEC = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

export function inCgroups(procsFiles: string[], command: string, args: string[]): { command: string; args: string[] } {
  return { command: "sh", args: ["-c", JOIN_CGROUPS_AND_EXEC, "sh", ...procsFiles, "--", command, ...args] };
}

/** rmdir, retried for a while on EBUSY: the kernel frees a cgroup shortly after its last process exits. */
async function rmdirCgroup(dir: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await rmdir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "EBUSY" || Date.now() >= deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** cgroupfs directories go with rmdir, innermost first (their files cannot be unlinked). */
async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!entries) return;
  for (const e of entries) if (e.isDirectory()) await removeTree(path.join(dir, e.name));
  await rmdirCgroup(dir);
}

/** Removes the host's cgroups; fails (EBUSY) if a process is still in them. */
export async function removeHostCgroups(host: string): Promise<void> {
  for (const dir of await hostCgroupDirs(host)) await removeTree(dir);
}

/** Removes the lab's parent cgroups once every host's is gone (lab:down, after all hosts). */
export async function removeLabCgroups(): Promise<void> {
  for (const dir of await labCgroupDirs()) await rmdir(dir).catch(() => {}); // not empty or absent: leave it
}
