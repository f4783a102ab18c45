// IPv4 arithmetic for the lab's address plan. Pure functions, no I/O.

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  prefix: number;
}

export function parseIpv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`not an IPv4 address: ${text}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/n"; rejects host bits so a typo like 10.0.0.5/24 is not silently widened. */
export function parseCidr(text: string): Cidr {
  const [address, prefixText, ...rest] = text.split("/");
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) {
    throw new Error(`not an IPv4 CIDR (a.b.c.d/n): ${text}`);
  }
  const prefix = Number(prefixText);
  if (prefix > 32) throw new Error(`prefix length out of range in ${text}`);
  const ip = parseIpv4(address);
  const network = (ip & maskOf(prefix)) >>> 0;
  if (network !== ip) {
    throw new Error(`${text} has host bits set; did you mean ${formatIpv4(network)}/${prefix}?`);
  }
  return { network, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

export function cidrContains(cidr: Cidr, ip: number): boolean {
  return ((ip & maskOf(cidr.prefix)) >>> 0) === cidr.network;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const shorter = a.prefix <= b.prefix ? a : b;
  const longer = shorter === a ? b : a;
  return cidrContains(shorter, longer.network);
}

/** The address `offset` inside the network (offset 1 = first usable address). */
export function addressAt(cidr: Cidr, offset: number): string {
  const size = 2 ** (32 - cidr.prefix);
  if (!Number.isInteger(offset) || offset < 1 || offset >= size - 1) {
    throw new Error(`offset ${offset} does not fit in ${formatCidr(cidr)}`);
  }
  return formatIpv4(cidr.network + offset);
}

/** The network an interface address belongs to, e.g. 192.0.2.2/24 → 192.0.2.0/24. */
export function networkOf(address: string, prefix: number): Cidr {
  return { network: (parseIpv4(address) & maskOf(prefix)) >>> 0, prefix };
}
