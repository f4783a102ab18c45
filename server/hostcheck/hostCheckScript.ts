import { isHostname } from "@/lib/net/ipv4";
import { shellQuote } from "@/lib/shell/quote";
import { virtualizationLines } from "./kvmProbe";

/**
 * The read-only script the host check runs. Each section starts with a marker line "@@name" or
 * "@@name arg", so the parser does not depend on the tools' exact formatting elsewhere.
 */
export function hostCheckScript(input: { ips: string[]; otherHostNames: string[] }): string {
  const lines = [
    "export LC_ALL=C",
    "section() { printf '\\n@@%s\\n' \"$*\"; }",
    // The clock first: the wizard compares it with the moment the command started.
    "section clock; date +%s.%N",
    "section os-release; cat /etc/os-release 2>/dev/null",
    "section hostname; hostname 2>/dev/null || cat /etc/hostname",
    "section machine-id; cat /etc/machine-id 2>/dev/null",
    "section cpus; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN",
    "section meminfo; grep -E '^MemTotal:' /proc/meminfo",
    "section rootfs; df -P -B1 / 2>/dev/null | tail -n 1",
    "section disks; lsblk -b -d -n -o NAME,SIZE,TYPE 2>/dev/null | awk '$3 == \"disk\" {print $1, $2}'",
    ...virtualizationLines(),
  ];
  for (const ip of input.ips) {
    // "local" in the route answer means the host owns the address (also for 127.x on lo).
    lines.push(`section route ${shellQuote(ip)}; ip -o route get ${shellQuote(ip)} 2>/dev/null | head -n 1`);
  }
  lines.push(...resolveLines(input.otherHostNames));
  lines.push("section end");
  return `${lines.join("\n")}\n`;
}

/**
 * The other hosts' names: all in one getent (with 100 other hosts, a process per name was most of
 * a 101-host check's time), which prints a block per name in order, each starting with the only
 * line that carries a name. When a name does not resolve (getent then exits 2, its block missing)
 * or a name is no hostname (it could not be told apart in the marker line), one getent per name.
 */
function resolveLines(names: string[]): string[] {
  if (names.length === 0) return [];
  const perName = names.map((name) => `section resolve ${shellQuote(name)}; getent ahostsv4 ${shellQuote(name)} 2>/dev/null`);
  if (!names.every(isHostname)) return perName;
  const all = names.map(shellQuote).join(" ");
  return [`section resolve-all ${all}; getent ahostsv4 ${all} 2>/dev/null || {`, ...perName.map((line) => `  ${line}`), "}"];
}
