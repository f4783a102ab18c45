import type { HostFacts, VirtualizationFacts } from "@/lib/hostcheck/hostCheckResult";
import { KVM_PROBE_TIMEOUT_S } from "./kvmProbe";

/** Reads the host check script's output into facts. Missing sections become nulls, never errors. */
export function parseHostFacts(output: string, wizardClockMs: number): HostFacts {
  const sections = splitSections(output);
  const first = (name: string) => sections.get(name)?.[0]?.trim() || null;
  const osRelease = parseOsRelease(sections.get("os-release") ?? []);
  const hostClock = Number(first("clock"));
  const memKb = Number(/(\d+)/.exec(first("meminfo") ?? "")?.[1]);
  const rootFs = (first("rootfs") ?? "").split(/\s+/);

  const localIps: Record<string, boolean> = {};
  const resolves: Record<string, string[]> = {};
  for (const [name, lines] of sections) {
    const [kind, arg] = splitOnce(name);
    if (kind === "route" && arg) localIps[arg] = /^local\s/.test(lines[0]?.trim() ?? "");
    // getent ahostsv4 prints each address once per socket type ("IP STREAM name", "IP DGRAM", …).
    if (kind === "resolve" && arg) resolves[arg] = addresses(lines);
    if (kind === "resolve-all" && arg) {
      // A block per name, in order, each starting with the one line that carries a name; the
      // per-name sections after it (when some name did not resolve) take precedence.
      const names = arg.split(" ");
      const blocks = splitBlocks(lines);
      if (blocks.length === names.length) names.forEach((name, i) => (resolves[name] ??= addresses(blocks[i])));
    }
  }

  return {
    osName: osRelease.PRETTY_NAME ?? null,
    osId: osRelease.ID ?? null,
    osVersion: osRelease.VERSION_ID ?? null,
    hostname: first("hostname"),
    machineId: first("machine-id"),
    cpus: positiveOrNull(Number(first("cpus"))),
    memoryBytes: positiveOrNull(memKb * 1024),
    rootFsBytes: positiveOrNull(Number(rootFs[1])),
    disks: (sections.get("disks") ?? [])
      .map((line) => line.trim().split(/\s+/))
      .filter((parts) => parts.length === 2 && Number(parts[1]) > 0)
      .map(([name, bytes]) => ({ name, bytes: Number(bytes) })),
    localIps,
    resolves,
    clockSkewMs: Number.isFinite(hostClock) && hostClock > 0 ? Math.round(hostClock * 1000 - wizardClockMs) : null,
    virtualization: parseVirtualization(sections),
  };
}

function parseVirtualization(sections: Map<string, string[]>): VirtualizationFacts | null {
  const probe = sections.get("kvm-probe")?.map((line) => line.trim());
  if (!probe) return null;
  const flag = sections.get("virt-cpu-flag")?.[0]?.trim();
  const nested = sections.get("virt-nested")?.[0]?.trim();
  return {
    ...kvmVerdict(probe),
    cpuFlag: flag === "vmx" || flag === "svm" ? flag : null,
    // kvm_intel says Y/N, older kvm_amd 1/0.
    nested: nested ? nested === "Y" || nested === "1" : null,
  };
}

function kvmVerdict(lines: string[]): Pick<VirtualizationFacts, "kvmUsable" | "reason"> {
  if (lines[0] === "no-device") return { kvmUsable: false, reason: "/dev/kvm is missing" };
  if (lines[0] === "no-python") return { kvmUsable: false, reason: "/dev/kvm is there, but no python on the host to test it" };
  const verdict = lines.map((line) => /^(usable|unusable) (.+)$/.exec(line)).find(Boolean);
  if (verdict) return { kvmUsable: verdict[1] === "usable", reason: verdict[2] };
  const exit = lines.find((line) => line.startsWith("exit "))?.slice(5);
  if (exit === "124") return { kvmUsable: false, reason: `the test guest did not finish within ${KVM_PROBE_TIMEOUT_S} s` };
  const said = lines.filter((line) => !line.startsWith("exit ")).at(-1);
  return { kvmUsable: false, reason: `the test could not run${said ? `: ${said}` : exit ? ` (exit ${exit})` : ""}` };
}

function splitSections(output: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split("\n")) {
    const marker = /^@@(.+)$/.exec(line);
    if (marker) {
      current = [];
      sections.set(marker[1].trim(), current);
    } else if (current && line !== "") {
      current.push(line);
    }
  }
  return sections;
}

function parseOsRelease(lines: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of lines) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2].replace(/^["']|["']$/g, "");
  }
  return values;
}

function addresses(lines: string[]): string[] {
  return [...new Set(lines.map((l) => l.trim().split(/\s+/)[0]).filter(Boolean))];
}

function splitBlocks(lines: string[]): string[][] {
  const blocks: string[][] = [];
  for (const line of lines) {
    if (line.trim().split(/\s+/).length >= 3 || blocks.length === 0) blocks.push([line]);
    else blocks[blocks.length - 1].push(line);
  }
  return blocks;
}

function splitOnce(name: string): [string, string | undefined] {
  const space = name.indexOf(" ");
  return space < 0 ? [name, undefined] : [name.slice(0, space), name.slice(space + 1)];
}

function positiveOrNull(n: number): number | null {
  return Number.isFinite(n) && n > 0 ? n : null;
}
