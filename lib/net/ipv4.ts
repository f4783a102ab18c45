/** Address and name rules shared by the wizard's form and the server. */

// Four decimal octets 0-255 with no leading zeros: "192.168.100.0110" is a typo, not an address.
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}

// RFC 1123 labels: letters, digits and inner hyphens, 1-63 characters; a name of up to 253.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value.split(".").every((label) => LABEL.test(label));
}

// What useradd accepts by default (NAME_REGEX), which is also safe to put on a command line.
const POSIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

export function isPosixUser(value: string): boolean {
  return POSIX_USER.test(value);
}

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** A network in CIDR form whose address has no host bits set, like 192.168.100.0/24. */
export function isCidr(value: string): boolean {
  const [address, prefixText, ...rest] = value.split("/");
  if (rest.length > 0 || !isIPv4(address) || !/^\d{1,2}$/.test(prefixText ?? "")) return false;
  const prefix = Number(prefixText);
  if (prefix < 8 || prefix > 30) return false;
  const bits = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  return bits % 2 ** (32 - prefix) === 0;
}
