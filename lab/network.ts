// The lab's network in the root namespace: two bridges, one netns per host, a veth per NIC.
// Everything created here carries a "splab" name, and teardown removes exactly those names.
import { readFile } from "node:fs/promises";
import { LAB_BRIDGES, type LabConfig, type LabNetwork, type PlannedHost } from "./config";
import { LabError } from "./errors";
import { CommandError, run, succeeds } from "./exec";
import { cidrsOverlap, formatCidr, networkOf, parseCidr, type Cidr } from "./ipv4";

export interface IpAddressEntry {
  ifname: string;
  addr_info: { family: string; local: string; prefixlen: number }[];
}
export interface IpRouteEntry {
  dst: string;
  dev?: string;
  type?: string;
}

/** Pure: the addresses and routes on this machine (outside the lab's own links) that collide with the plan. */
export function findSubnetConflicts(
  subnets: Cidr[],
  addresses: IpAddressEntry[],
  routes: IpRouteEntry[],
  ownLinks: string[],
): string[] {
  const conflicts: string[] = [];
  for (const subnet of subnets) {
    const clash = (other: Cidr) => cidrsOverlap(subnet, other);
    for (const entry of addresses.filter((a) => !ownLinks.includes(a.ifname))) {
      for (const a of entry.addr_info.filter((i) => i.family === "inet")) {
        if (clash(networkOf(a.local, a.prefixlen))) {
          conflicts.push(`${formatCidr(subnet)} overlaps address ${a.local}/${a.prefixlen} on ${entry.ifname}`);
        }
      }
    }
    for (const route of routes) {
      if (route.dst === "default" || (route.dev && ownLinks.includes(route.dev))) continue;
      const dst = route.dst.includes("/") ? route.dst : `${route.dst}/32`;
      let cidr: Cidr;
      try {
        cidr = parseCidr(dst);
      } catch {
        continue; // multicast/odd entries ip prints without a plain prefix
      }
      if (clash(cidr)) conflicts.push(`${formatCidr(subnet)} overlaps route ${route.dst}${route.dev ? ` dev ${route.dev}` : ""}`);
    }
  }
  return [...new Set(conflicts)];
}

async function ipJson<T>(args: string[]): Promise<T[]> {
  const { stdout } = await run("ip", ["-j", ...args]);
  return stdout.trim() ? (JSON.parse(stdout) as T[]) : [];
}

function labNetworks(config: LabConfig): LabNetwork[] {
  return config.provider ? [config.management, config.provider] : [config.management];
}

function ownLinkNames(config: LabConfig): string[] {
  return [...Object.values(LAB_BRIDGES), ...config.hosts.flatMap((h) => [h.vethManagement, h.vethProvider])];
}

/** Fails with a clear message if the planned subnets are already used on this machine. */
export async function assertSubnetsFree(config: LabConfig): Promise<void> {
  const [addresses, routes] = await Promise.all([
    ipJson<IpAddressEntry>(["-4", "addr", "show"]),
    ipJson<IpRouteEntry>(["-4", "route", "show", "table", "all"]),
  ]);
  const conflicts = findSubnetConflicts(
    labNetworks(config).map((n) => n.cidr),
    addresses,
    routes,
    ownLinkNames(config),
  );
  if (conflicts.length > 0) {
    throw new LabError(
      `the lab's address range is already in use on this machine:\n  ${conflicts.join("\n  ")}`,
      "choose free private ranges, e.g. LAB_SUBNET=10.231.0.0/24 LAB_PROVIDER_SUBNET=10.231.1.0/24 (or LAB_PROVIDER_SUBNET=none)",
    );
  }
}

export function linkExists(name: string, netns?: string): Promise<boolean> {
  return succeeds("ip", [...(netns ? ["-n", netns] : []), "link", "show", "dev", name]);
}

export async function netnsExists(name: string): Promise<boolean> {
  const list = await ipJson<{ name: string }>(["netns", "list"]);
  return list.some((n) => n.name === name);
}

/** Adds `address/prefix` to a device unless it is already there (keeps lab:up idempotent). */
async function ensureAddress(dev: string, address: string, prefix: number, netns?: string): Promise<void> {
  const ns = netns ? ["-n", netns] : [];
  const [entry] = await ipJson<IpAddressEntry>([...ns, "-4", "addr", "show", "dev", dev]);
  if (entry?.addr_info.some((a) => a.local === address)) return;
  await run("ip", [...ns, "addr", "add", `${address}/${prefix}`, "dev", dev]);
}

async function ensureBridge(net: LabNetwork): Promise<void> {
  if (!(await linkExists(net.bridge))) await run("ip", ["link", "add", "name", net.bridge, "type", "bridge"]);
  await ensureAddress(net.bridge, net.gateway, net.cidr.prefix);
  await run("ip", ["link", "set", net.bridge, "up"]);
}

export async function ensureBridges(config: LabConfig): Promise<void> {
  for (const net of labNetworks(config)) await ensureBridge(net);
}

/** The host's NICs: eth0 on the management bridge and, if configured, eth1 on the provider bridge. */
function hostNics(config: LabConfig, host: PlannedHost) {
  const nics = [{ veth: host.vethManagement, inside: "eth0", net: config.management, ip: host.managementIp }];
  if (config.provider && host.providerIp) {
    nics.push({ veth: host.vethProvider, inside: "eth1", net: config.provider, ip: host.providerIp });
  }
  return nics;
}

/**
 * Addresses are set from outside, before boot: the hosts run no network manager, so nothing
 * inside rewrites them, and the netns keeps them for the container's whole life.
 */
export async function ensureHostNetwork(config: LabConfig, host: PlannedHost): Promise<void> {
  if (!(await netnsExists(host.netns))) await run("ip", ["netns", "add", host.netns]);
  await run("ip", ["-n", host.netns, "link", "set", "lo", "up"]);
  for (const nic of hostNics(config, host)) {
    if (!(await linkExists(nic.veth))) {
      await run("ip", ["link", "add", nic.veth, "type", "veth", "peer", "name", nic.inside, "netns", host.netns]);
    }
    await run("ip", ["link", "set", nic.veth, "master", nic.net.bridge, "up"]);
    await ensureAddress(nic.inside, nic.ip, nic.net.cidr.prefix, host.netns);
    await run("ip", ["-n", host.netns, "link", "set", nic.inside, "up"]);
  }
}

/** Deletes a link of ours; "already gone" is success (the kernel may remove a veth peer meanwhile). */
async function deleteLink(name: string): Promise<void> {
  try {
    await run("ip", ["link", "delete", name]);
  } catch (error) {
    if (!(error instanceof CommandError && /Cannot find device|No such device/.test(error.stderr))) throw error;
  }
}

/** Deleting the netns destroys the veth ends inside it, and with them their root-namespace peers. */
export async function removeHostNetwork(host: PlannedHost): Promise<void> {
  if (await netnsExists(host.netns)) await run("ip", ["netns", "delete", host.netns]);
  for (const veth of [host.vethManagement, host.vethProvider]) await deleteLink(veth);
}

export async function removeBridges(): Promise<void> {
  // Both names, whatever LAB_PROVIDER_SUBNET says now: it may have differed at lab:up.
  for (const bridge of Object.values(LAB_BRIDGES)) await deleteLink(bridge);
}

export async function readIpForward(): Promise<string> {
  return (await readFile("/proc/sys/net/ipv4/ip_forward", "utf8")).trim();
}
