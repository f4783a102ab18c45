// The three lab commands, composed from the modules that each own one resource.
import { existsSync } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { removeLabCgroups } from "./cgroup";
import { labStatePaths, type LabConfig, type LabNetwork, type PlannedHost } from "./config";
import { LabError } from "./errors";
import { bootHost, hostPid, stopHost, waitForSsh } from "./host";
import { adoptHostKeys, ensureHostKeys } from "./hostKeys";
import { withLock } from "./lock";
import {
  assertSubnetsFree,
  ensureBridges,
  ensureHostNetwork,
  linkExists,
  readIpForward,
  removeBridges,
  removeHostNetwork,
} from "./network";
import { ensurePasswordFile, hashPassword } from "./password";
import { readSshBanner } from "./probe";
import type { Progress } from "./progress";
import { ensureProxy, proxyPid, proxyUrl, stopProxy } from "./proxy";
import {
  baseRootfsPath,
  ensureAptArchive,
  ensureBaseRootfs,
  hostRootfsPath,
  prepareHostRootfs,
  removeHostRootfs,
  type HostCustomisation,
} from "./rootfs";
import { readAptSources, renderDeb822Sources, selectLabMirrors } from "./sources";
import { readLabStateAt, removeLabState, writeLabState, type LabState } from "./state";

function describe(config: LabConfig, startedAt: string): LabState {
  return {
    version: 1,
    startedAt,
    managementSubnet: config.management.subnet,
    providerSubnet: config.provider?.subnet ?? null,
    bridgeAddress: config.management.gateway,
    proxyUrl: proxyUrl(config),
    rootUser: "root",
    rootPasswordFile: labStatePaths(config.stateDir).rootPasswordFile,
    hosts: config.hosts.map((h) => ({
      name: h.name,
      role: h.role,
      managementIp: h.managementIp,
      providerIp: h.providerIp,
      sshPort: 22,
    })),
  };
}

/**
 * Running hosts are left alone (idempotent lab:up); anything else gets a fresh rootfs and boots.
 * Returns whether the host was booted.
 */
async function upHost(
  config: LabConfig,
  host: PlannedHost,
  base: string,
  custom: HostCustomisation,
  progress: Progress,
): Promise<boolean> {
  const rootfs = hostRootfsPath(config, host);
  const hostKeys = labStatePaths(config.stateDir).hostKeysDir(host.name);
  await ensureHostNetwork(config, host);
  if (await hostPid(config, host, rootfs)) {
    await adoptHostKeys(hostKeys, rootfs);
    await waitForSsh(config, host, rootfs);
    progress(`${host.name} already running, ssh answers on ${host.managementIp}`);
    return false;
  }
  await ensureHostKeys(hostKeys, host.name);
  await progress.timed(`${host.name} rootfs copied and made unique`, () => prepareHostRootfs(config, host, base, custom, hostKeys));
  await bootHost(config, host, rootfs, await ensureAptArchive(config, host));
  await progress.timed(`${host.name} booted, ssh answers on ${host.managementIp}`, () => waitForSsh(config, host, rootfs));
  return true;
}

export async function labUp(config: LabConfig, progress: Progress): Promise<LabState> {
  const paths = labStatePaths(config.stateDir);
  await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  return withLock(paths.lockFile, "up", async () => {
    const mirrors = selectLabMirrors(await readAptSources(), config.suite);
    if (!mirrors) {
      throw new LabError(
        `no Debian ${config.suite} mirror (http/https, with "main") in /etc/apt/sources.list or /etc/apt/sources.list.d/`,
        "the lab uses this machine's own apt mirror; add one there",
      );
    }
    await assertSubnetsFree(config);

    if (!existsSync(baseRootfsPath(config))) {
      progress(`no cached ${config.suite} rootfs yet: debootstrap from ${mirrors.bootstrapMirror} (once; about 2 minutes)`);
    }
    const base = await progress.timed("base rootfs ready", async () => {
      const result = await ensureBaseRootfs(config, mirrors.bootstrapMirror);
      progress(result.built ? `debootstrapped into ${result.path}` : `using cached ${result.path}`);
      return result.path;
    });
    const password = await ensurePasswordFile(paths.rootPasswordFile);
    const custom: HostCustomisation = {
      rootPasswordHash: await hashPassword(password),
      aptSources: renderDeb822Sources(mirrors.sources, (key) => existsSync(path.join(base, key))),
      proxyUrl: proxyUrl(config),
    };

    await ensureBridges(config);
    const proxyState = await ensureProxy(config, mirrors.hostnames);
    const mirrorList = mirrors.hostnames.join(", ");
    progress(`bridges up; apt proxy ${proxyState} at ${custom.proxyUrl}, forwarding only to ${mirrorList}`);

    const booted = await Promise.all(config.hosts.map((host) => upHost(config, host, base, custom, progress)));
    const previous = await readLabStateAt(paths.stateFile);
    const startedAt = previous && !booted.includes(true) ? previous.startedAt : new Date().toISOString();
    const state = describe(config, startedAt);
    await writeLabState(config.stateDir, state);
    return state;
  });
}

export async function labDown(config: LabConfig, progress: Progress): Promise<void> {
  const paths = labStatePaths(config.stateDir);
  if (!existsSync(config.stateDir)) await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
  await withLock(paths.lockFile, "down", async () => {
    await removeLabState(config.stateDir); // first: nobody should pick up a lab that is going away
    await Promise.all(
      config.hosts.map(async (host) => {
        const rootfs = hostRootfsPath(config, host);
        const stopped = await stopHost(config, host, rootfs);
        await adoptHostKeys(paths.hostKeysDir(host.name), rootfs);
        await removeHostNetwork(host);
        await removeHostRootfs(config, host);
        progress(`${host.name} ${stopped ? "stopped and removed" : "was not running; leftovers removed"}`);
      }),
    );
    await removeLabCgroups();
    const proxyStopped = await stopProxy(config);
    await removeBridges();
    await rm(paths.runDir, { recursive: true, force: true });
    progress(`${proxyStopped ? "proxy stopped, " : ""}bridges removed; caches kept in ${config.cacheDir}`);
  });
}

export interface HostStatus {
  name: string;
  role: string;
  managementIp: string;
  providerIp: string | null;
  pid: number | null;
  sshBanner: string | null;
  reachable: boolean;
}

export interface LabStatus {
  up: boolean;
  hosts: HostStatus[];
  bridge: { name: string; address: string; subnet: string; present: boolean };
  providerBridge: { name: string; address: string; subnet: string; present: boolean } | null;
  proxy: { url: string; pid: number | null };
  rootPasswordSource: { file: string; exists: boolean; mode: string | null };
  stateFile: { file: string; exists: boolean };
  ipForward: string;
}

export async function labStatus(config: LabConfig): Promise<LabStatus> {
  const paths = labStatePaths(config.stateDir);
  const hosts = await Promise.all(
    config.hosts.map(async (h): Promise<HostStatus> => {
      const [pid, sshBanner] = await Promise.all([
        hostPid(config, h, hostRootfsPath(config, h)),
        readSshBanner(h.managementIp, 22, 2000),
      ]);
      const { name, role, managementIp, providerIp } = h;
      return { name, role, managementIp, providerIp, pid, sshBanner, reachable: sshBanner !== null };
    }),
  );
  const bridgeStatus = async (net: LabNetwork) => ({
    name: net.bridge,
    address: net.gateway,
    subnet: net.subnet,
    present: await linkExists(net.bridge),
  });
  const passwordStat = await stat(paths.rootPasswordFile).catch(() => null);
  return {
    up: hosts.every((h) => h.reachable),
    hosts,
    bridge: await bridgeStatus(config.management),
    providerBridge: config.provider ? await bridgeStatus(config.provider) : null,
    proxy: { url: proxyUrl(config), pid: await proxyPid(config) },
    rootPasswordSource: {
      file: paths.rootPasswordFile,
      exists: passwordStat !== null,
      mode: passwordStat ? (passwordStat.mode & 0o777).toString(8).padStart(4, "0") : null,
    },
    stateFile: { file: paths.stateFile, exists: existsSync(paths.stateFile) },
    ipForward: await readIpForward(),
  };
}
