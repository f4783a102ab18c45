import { cidrBounds } from "../net/ipv4Networks";
import type { PlaybookInput } from "./playbookInput";

/**
 * The compute scope's networks as the playbook uses them: what the plan says, or, where it says
 * nothing, what the install guide would choose for these hosts. The provider network is the hosts'
 * second network (the controller's natIp as a /24), its gateway the network's first address, its
 * floating IPs .200 to .249; the self-service (VXLAN) network is the guide's 172.16.1.0/24.
 */
export type NetworkOptions = {
  providerCidr: string;
  providerGateway: string;
  floatingIpStart: string;
  floatingIpEnd: string;
  selfServiceCidr: string;
  selfServiceGateway: string;
};

export const DEFAULT_SELF_SERVICE_CIDR = "172.16.1.0/24";

/** The first three octets of an IPv4 address ("10.123.1.110" → "10.123.1"). */
function prefix24(ip: string): string {
  return ip.split(".").slice(0, 3).join(".");
}

/** The network's address plus n: "10.123.1.0/24", 1 → "10.123.1.1" (an address without a prefix is its own /32). */
export function addressInCidr(cidr: string, n: number): string {
  const next = cidrBounds(cidr.includes("/") ? cidr : `${cidr}/32`).first + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(next / 2 ** shift) % 256).join(".");
}

type NetworkSettings = Pick<PlaybookInput["options"], "providerCidr" | "providerGateway" | "floatingIpStart" | "floatingIpEnd" | "selfServiceCidr">;

/** A run's snapshot from before these settings has none of them: all derived. */
export function networkOptionsOf(input: { hosts: PlaybookInput["hosts"]; options: Partial<NetworkSettings> }): NetworkOptions {
  const options = Object.fromEntries(
    (["providerCidr", "providerGateway", "floatingIpStart", "floatingIpEnd", "selfServiceCidr"] as const).map((k) => [k, (input.options[k] ?? "").trim()]),
  ) as NetworkSettings;
  const controller = input.hosts.find((h) => h.role === "controller");
  const second = prefix24(controller?.natIp || controller?.managementIp || "203.0.113.0");
  const providerCidr = options.providerCidr || `${second}.0/24`;
  const derivedBase = options.providerCidr ? prefix24(addressInCidr(providerCidr, 0)) : second;
  const selfServiceCidr = options.selfServiceCidr || DEFAULT_SELF_SERVICE_CIDR;
  return {
    providerCidr,
    providerGateway: options.providerGateway || addressInCidr(providerCidr, 1),
    floatingIpStart: options.floatingIpStart || `${derivedBase}.200`,
    floatingIpEnd: options.floatingIpEnd || `${derivedBase}.249`,
    selfServiceCidr,
    selfServiceGateway: addressInCidr(selfServiceCidr, 1),
  };
}
