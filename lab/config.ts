// The lab's configuration: environment variables validated once, plus the fixed host plan.
// Pure: nothing here touches the machine, so the web app can import it too.
import path from "node:path";
import { z } from "zod";
import { LabError } from "./errors";
import { addressAt, cidrsOverlap, formatCidr, parseCidr, type Cidr } from "./ipv4";

export const LAB_SUITE = "bookworm";

/** Names, roles and last octets mirror the tutorial's ct/c1/c2 at .110/.120/.130. */
export const LAB_HOSTS = [
  { name: "ct", role: "controller", offset: 110 },
  { name: "c1", role: "compute", offset: 120 },
  { name: "c2", role: "compute", offset: 130 },
] as const;
/** Environment variables as the lab reads them (a plain record, so tests can pass their own). */
export type LabEnv = Record<string, string | undefined>;

export type LabHostName = (typeof LAB_HOSTS)[number]["name"];
export type LabRole = (typeof LAB_HOSTS)[number]["role"];

/**
 * Container powers that make a lab host a hypervisor (libvirt, qemu, Neutron linuxbridge); all on
 * by default. "kvm" binds /dev/kvm only where the machine has it: a probe on the host decides
 * whether guests can really use it.
 */
export const LAB_FEATURES = ["tun", "kvm", "all-capabilities", "writable-proc-sys"] as const;
export type LabFeature = (typeof LAB_FEATURES)[number];

/** Fixed link names: teardown removes these whatever the settings were at lab:up. */
export const LAB_BRIDGES = { management: "splab-br0", provider: "splab-br1" } as const;

export const DEFAULT_STATE_DIR = "/var/lib/stackpilot-lab";
export const DEFAULT_CACHE_DIR = "/var/cache/stackpilot-lab";

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(parseCidr);

/** Unset and empty variables both mean "use the default". */
function orDefault<T extends z.ZodType>(schema: T, fallback: string) {
  return z.preprocess((v) => (v === undefined || v === "" ? fallback : v), schema);
}

const absolutePath = z
  .string()
  .refine((p) => path.isAbsolute(p), "must be an absolute path")
  .transform((p) => path.resolve(p));

const privateCidr = z.string().transform((text, ctx): Cidr => {
  let cidr: Cidr;
  try {
    cidr = parseCidr(text.trim());
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
  if (cidr.prefix < 8 || cidr.prefix > 24) {
    ctx.addIssue({ code: "custom", message: `${text}: prefix must be /8 to /24 so that .110, .120 and .130 fit` });
  } else if (!PRIVATE_RANGES.some((range) => range.prefix <= cidr.prefix && cidrsOverlap(range, cidr))) {
    ctx.addIssue({ code: "custom", message: `${text} is not inside a private range (10/8, 172.16/12, 192.168/16)` });
  }
  return cidr;
});

const stateDirSchema = orDefault(absolutePath, DEFAULT_STATE_DIR);

const envSchema = z.object({
  LAB_STATE_DIR: stateDirSchema,
  LAB_CACHE_DIR: orDefault(absolutePath, DEFAULT_CACHE_DIR),
  LAB_SUBNET: orDefault(privateCidr, "10.123.0.0/24"),
  // The tutorial's hosts have a second NIC; "none" leaves it out.
  LAB_PROVIDER_SUBNET: orDefault(z.union([z.literal("none").transform(() => null), privateCidr]), "10.123.1.0/24"),
  LAB_PROXY_PORT: orDefault(z.coerce.number().int().min(1024).max(65535), "3128"),
  LAB_BOOT_TIMEOUT: orDefault(z.coerce.number().positive().max(3600), "90"),
  // Comma-separated LAB_FEATURES, e.g. "tun,writable-proc-sys"; unset = all, "none" = plain containers.
  LAB_FEATURES: orDefault(
    z
      .string()
      .transform((s) => s.split(",").map((f) => f.trim()).filter((f) => f && f !== "none"))
      .pipe(z.array(z.enum(LAB_FEATURES))),
    LAB_FEATURES.join(","),
  ),
});

export interface LabNetwork {
  bridge: string;
  cidr: Cidr;
  /** e.g. "10.123.0.0/24" */
  subnet: string;
  /** The bridge's own address in the root namespace (the ".1"). */
  gateway: string;
}

export interface PlannedHost {
  name: LabHostName;
  role: LabRole;
  netns: string;
  managementIp: string;
  providerIp: string | null;
  /** Root-namespace ends of the veth pairs; inside the host they are eth0 and eth1. */
  vethManagement: string;
  vethProvider: string;
}

export interface LabConfig {
  stateDir: string;
  cacheDir: string;
  suite: string;
  management: LabNetwork;
  provider: LabNetwork | null;
  proxyPort: number;
  bootTimeoutMs: number;
  features: LabFeature[];
  hosts: PlannedHost[];
}

/** Files inside the state dir; shared with lab/state.ts so both sides agree on paths. */
export function labStatePaths(stateDir: string) {
  return {
    stateFile: path.join(stateDir, "lab.json"),
    rootPasswordFile: path.join(stateDir, "root-password"),
    lockFile: path.join(stateDir, "lock"),
    runDir: path.join(stateDir, "run"),
    proxyDir: path.join(stateDir, "proxy"),
    hostDir: (host: string) => path.join(stateDir, "hosts", host),
    /** The host's SSH host keys, generated once and kept by lab:down like the root password. */
    hostKeysDir: (host: string) => path.join(stateDir, "hosts", host, "ssh-host-keys"),
  };
}

export function labCachePaths(cacheDir: string) {
  return {
    rootfsDir: path.join(cacheDir, "rootfs"),
    debootstrapDebs: path.join(cacheDir, "debootstrap-debs"),
    aptArchives: (host: string) => path.join(cacheDir, "apt-archives", host),
  };
}

export function stateDirFromEnv(env: LabEnv = process.env): string {
  return stateDirSchema.parse(env.LAB_STATE_DIR);
}

function network(bridge: string, cidr: Cidr): LabNetwork {
  return { bridge, cidr, subnet: formatCidr(cidr), gateway: addressAt(cidr, 1) };
}

export class LabConfigError extends LabError {}

export function loadConfig(env: LabEnv = process.env): LabConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new LabConfigError(`invalid lab settings:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  if (e.LAB_PROVIDER_SUBNET && cidrsOverlap(e.LAB_SUBNET, e.LAB_PROVIDER_SUBNET)) {
    throw new LabConfigError(
      `LAB_SUBNET ${formatCidr(e.LAB_SUBNET)} and LAB_PROVIDER_SUBNET ${formatCidr(e.LAB_PROVIDER_SUBNET)} overlap`,
    );
  }
  const provider = e.LAB_PROVIDER_SUBNET;
  return {
    stateDir: e.LAB_STATE_DIR,
    cacheDir: e.LAB_CACHE_DIR,
    suite: LAB_SUITE,
    management: network(LAB_BRIDGES.management, e.LAB_SUBNET),
    provider: provider ? network(LAB_BRIDGES.provider, provider) : null,
    proxyPort: e.LAB_PROXY_PORT,
    bootTimeoutMs: e.LAB_BOOT_TIMEOUT * 1000,
    features: [...new Set(e.LAB_FEATURES)],
    hosts: LAB_HOSTS.map((h) => ({
      name: h.name,
      role: h.role,
      netns: `splab-${h.name}`,
      managementIp: addressAt(e.LAB_SUBNET, h.offset),
      providerIp: provider ? addressAt(provider, h.offset) : null,
      vethManagement: `splab-${h.name}0`,
      vethProvider: `splab-${h.name}1`,
    })),
  };
}
