import { isCidr, isIPv4 } from "./ipv4";

/** Arithmetic on IPv4 networks, for rules like "this range lies inside that network". Callers check the text first (isIPv4, isCidr). */

/** An address as a number: "10.0.0.1" → 167772161. */
export function ipv4Number(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** The first and last address of a network, as numbers. */
export function cidrBounds(cidr: string): { first: number; last: number } {
  const [address, prefix] = cidr.split("/");
  const size = 2 ** (32 - Number(prefix));
  const first = ipv4Number(address) - (ipv4Number(address) % size);
  return { first, last: first + size - 1 };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const { first, last } = cidrBounds(cidr);
  const n = ipv4Number(ip);
  return n >= first && n <= last;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [x, y] = [cidrBounds(a), cidrBounds(b)];
  return x.first <= y.last && y.first <= x.last;
}

/** The value if it is a network (isCidr), else null: to skip rules about a value another rule already refuses. */
export function validCidr(value: string): string | null {
  return isCidr(value) ? value : null;
}

/** The value if it is an address (isIPv4), else null. */
export function validIPv4(value: string): string | null {
  return isIPv4(value) ? value : null;
}
