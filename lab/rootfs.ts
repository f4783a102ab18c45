// Root filesystems: one debootstrapped base per package list (cached outside the repo), and a
// fresh per-host copy made this host (hostname, fresh machine-id, its kept SSH host keys, root password).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { labCachePaths, labStatePaths, type LabConfig, type PlannedHost } from "./config";
import { run } from "./exec";
import { installHostKeys } from "./hostKeys";
import { withRootHash } from "./password";

const VARIANT = "minbase";
const PACKAGES = [
  "systemd", "systemd-sysv", "dbus", "openssh-server", "sudo", "python3", "iproute2",
  "iputils-ping", "ca-certificates", "procps", "less", "curl", "gnupg", "netcat-openbsd", "vim-tiny",
];

/** The cached base for the current package list: a changed list gets a new directory. */
export function baseRootfsPath(config: LabConfig): string {
  const key = createHash("sha256").update(JSON.stringify({ suite: config.suite, VARIANT, PACKAGES })).digest("hex");
  return path.join(labCachePaths(config.cacheDir).rootfsDir, `${config.suite}-${key.slice(0, 12)}`);
}

export function hostRootfsPath(config: LabConfig, host: PlannedHost): string {
  return path.join(labStatePaths(config.stateDir).hostDir(host.name), "rootfs");
}

/** Writes a file inside a rootfs, replacing any symlink there so nothing lands on the host machine. */
async function writeInRootfs(rootfs: string, file: string, content: string, mode = 0o644): Promise<void> {
  const target = path.join(rootfs, file);
  await mkdir(path.dirname(target), { recursive: true });
  await rm(target, { force: true });
  await writeFile(target, content, { mode });
}

/** Removes what must differ per host, so no copy inherits the base's identity. */
async function stripIdentity(rootfs: string): Promise<void> {
  const sshDir = path.join(rootfs, "etc/ssh");
  for (const f of await readdir(sshDir)) {
    if (f.startsWith("ssh_host_")) await rm(path.join(sshDir, f));
  }
  // Empty, not missing: systemd then generates a fresh id at first boot.
  await writeInRootfs(rootfs, "etc/machine-id", "", 0o444);
  await rm(path.join(rootfs, "var/lib/dbus/machine-id"), { force: true });
}

/** debootstraps the base once; later calls return the cached path at once. */
export async function ensureBaseRootfs(config: LabConfig, mirror: string): Promise<{ path: string; built: boolean }> {
  const base = baseRootfsPath(config);
  if (existsSync(base)) return { path: base, built: false };
  // Build beside it and rename at the end, so an interrupted run never leaves a half cache.
  const partial = `${base}.partial`;
  await rm(partial, { recursive: true, force: true });
  const debs = labCachePaths(config.cacheDir).debootstrapDebs;
  await mkdir(debs, { recursive: true });
  await run("debootstrap", [
    `--variant=${VARIANT}`,
    `--include=${PACKAGES.join(",")}`,
    `--cache-dir=${debs}`,
    config.suite,
    partial,
    mirror,
  ]);
  await stripIdentity(partial);
  await rm(path.join(partial, "etc/apt/sources.list"), { force: true }); // each host gets the machine's sources
  await rename(partial, base);
  return { path: base, built: true };
}

export function hostsFile(config: LabConfig): string {
  return [
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "ff02::1\tip6-allnodes",
    "ff02::2\tip6-allrouters",
    "",
    "# StackPilot lab hosts (management network); etcd and RabbitMQ need their names here",
    ...config.hosts.map((h) => `${h.managementIp}\t${h.name}`),
    "",
  ].join("\n");
}

export interface HostCustomisation {
  rootPasswordHash: string;
  /** deb822 sources for the host's apt. */
  aptSources: string;
  proxyUrl: string;
}

/**
 * Copies the base and makes the copy this host, with the host keys kept in `hostKeys`; any
 * previous copy is discarded first.
 */
export async function prepareHostRootfs(
  config: LabConfig,
  host: PlannedHost,
  base: string,
  custom: HostCustomisation,
  hostKeys: string,
): Promise<string> {
  const rootfs = hostRootfsPath(config, host);
  await rm(rootfs, { recursive: true, force: true });
  await mkdir(path.dirname(rootfs), { recursive: true, mode: 0o700 });
  await run("cp", ["-a", "--reflink=auto", base, rootfs]);

  await stripIdentity(rootfs);
  await writeInRootfs(rootfs, "etc/hostname", `${host.name}\n`);
  await writeInRootfs(rootfs, "etc/hosts", hostsFile(config));
  // No DNS inside: names come from /etc/hosts and apt asks the proxy, which resolves for it.
  // An empty resolv.conf makes other lookups fail at once instead of timing out.
  await writeInRootfs(rootfs, "etc/resolv.conf", "# StackPilot lab: no DNS server (see /etc/hosts)\n");
  await writeInRootfs(
    rootfs,
    "etc/ssh/sshd_config.d/stackpilot-lab.conf",
    "# StackPilot lab: the tutorial reaches its hosts as root with a password\nPermitRootLogin yes\nPasswordAuthentication yes\n",
  );
  await writeInRootfs(
    rootfs,
    "etc/apt/apt.conf.d/90stackpilot-lab",
    [
      `Acquire::http::Proxy "${custom.proxyUrl}";`,
      `Acquire::https::Proxy "${custom.proxyUrl}";`,
      // Keep .debs in /var/cache/apt/archives, which is bind-mounted from the lab cache.
      `APT::Keep-Downloaded-Packages "true";`,
      `Binary::apt::APT::Keep-Downloaded-Packages "true";`,
      "",
    ].join("\n"),
  );
  await writeInRootfs(rootfs, "etc/apt/sources.list.d/debian.sources", custom.aptSources);
  const shadowFile = path.join(rootfs, "etc/shadow");
  await writeFile(shadowFile, withRootHash(await readFile(shadowFile, "utf8"), custom.rootPasswordHash));
  await installHostKeys(hostKeys, rootfs);
  return rootfs;
}

export async function removeHostRootfs(config: LabConfig, host: PlannedHost): Promise<void> {
  await rm(hostRootfsPath(config, host), { recursive: true, force: true });
}

/** The host's apt archive lives in the cache so downloads survive lab:down (one per host: apt locks it). */
export async function ensureAptArchive(config: LabConfig, host: PlannedHost): Promise<string> {
  const dir = labCachePaths(config.cacheDir).aptArchives(host.name);
  await mkdir(path.join(dir, "partial"), { recursive: true });
  return dir;
}
