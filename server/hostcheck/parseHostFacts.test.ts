import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { hostCheckScript } from "./hostCheckScript";
import { parseHostFacts } from "./parseHostFacts";

const sample = `
@@clock
1764260000.250000000

@@os-release
PRETTY_NAME="CentOS Linux 7 (Core)"
ID="centos"
VERSION_ID="7"

@@hostname
ct

@@machine-id
0123456789abcdef0123456789abcdef

@@cpus
4

@@meminfo
MemTotal:        8008740 kB

@@rootfs
/dev/sda1 322122547200 1000 322122546200 1% /

@@disks
sda 322122547200

@@route 192.168.100.110
local 192.168.100.110 dev lo table local src 192.168.100.110 uid 0

@@route 192.168.158.110
192.168.158.110 dev ens34 src 192.168.158.5 uid 0

@@resolve c1
192.168.100.120 STREAM c1
192.168.100.120 DGRAM 
192.168.100.120 RAW 
10.0.0.120      STREAM 
10.0.0.120      DGRAM 
10.0.0.120      RAW 

@@resolve c2

@@virt-cpu-flag
vmx

@@virt-nested
Y

@@kvm-probe
usable a test guest ran at hardware speed (100000 loop iterations in 0.4 ms)
exit 0

@@end
`;

describe("parseHostFacts", () => {
  it("reads every section of the script's output", () => {
    const facts = parseHostFacts(sample, 1764260000000);
    expect(facts).toEqual({
      osName: "CentOS Linux 7 (Core)",
      osId: "centos",
      osVersion: "7",
      hostname: "ct",
      machineId: "0123456789abcdef0123456789abcdef",
      cpus: 4,
      memoryBytes: 8008740 * 1024,
      rootFsBytes: 322122547200,
      disks: [{ name: "sda", bytes: 322122547200 }],
      localIps: { "192.168.100.110": true, "192.168.158.110": false },
      resolves: { c1: ["192.168.100.120", "10.0.0.120"], c2: [] },
      clockSkewMs: 250,
      virtualization: { kvmUsable: true, reason: "a test guest ran at hardware speed (100000 loop iterations in 0.4 ms)", cpuFlag: "vmx", nested: true },
    });
  });

  it.each([
    [["no-device"], "/dev/kvm is missing"],
    [["no-python"], "/dev/kvm is there, but no python on the host to test it"],
    [["unusable KVM_RUN failed: Invalid argument", "exit 0"], "KVM_RUN failed: Invalid argument"],
    [["exit 124"], "the test guest did not finish within 5 s"],
    [["  File \"<string>\", line 3", "ImportError: No module named fcntl", "exit 1"], "the test could not run: ImportError: No module named fcntl"],
  ])("reads the probe's %j as KVM unusable: %s", (lines, reason) => {
    const output = ["@@virt-cpu-flag", "@@virt-nested", "N", "@@kvm-probe", ...lines, "@@end"].join("\n");
    expect(parseHostFacts(output, Date.now()).virtualization).toEqual({ kvmUsable: false, reason, cpuFlag: null, nested: false });
  });

  it("reads all names resolved by one getent, a block per name in order", () => {
    const output = [
      "@@resolve-all c1 c2 ct",
      "192.168.100.120 STREAM c1",
      "192.168.100.120 DGRAM ",
      "192.168.100.120 RAW ",
      "192.168.100.130 STREAM compute2",
      "192.168.100.130 DGRAM ",
      "10.0.0.130      STREAM ",
      "192.168.100.110 STREAM ct",
      "@@end",
    ].join("\n");
    expect(parseHostFacts(output, Date.now()).resolves).toEqual({ c1: ["192.168.100.120"], c2: ["192.168.100.130", "10.0.0.130"], ct: ["192.168.100.110"] });
  });

  it("when a name did not resolve, takes the per-name lookups that follow instead of guessing which block is whose", () => {
    const output = [
      "@@resolve-all c1 c2 ct",
      "192.168.100.120 STREAM c1",
      "192.168.100.110 STREAM ct",
      "@@resolve c1",
      "192.168.100.120 STREAM c1",
      "@@resolve c2",
      "@@resolve ct",
      "192.168.100.110 STREAM ct",
      "@@end",
    ].join("\n");
    expect(parseHostFacts(output, Date.now()).resolves).toEqual({ c1: ["192.168.100.120"], c2: [], ct: ["192.168.100.110"] });
  });

  it("gives nulls, not errors, for a host that printed nothing useful", () => {
    const facts = parseHostFacts("bash: lsblk: command not found\n", Date.now());
    expect(facts.osId).toBeNull();
    expect(facts.clockSkewMs).toBeNull();
    expect(facts.virtualization).toBeNull();
    expect(facts.disks).toEqual([]);
  });

  it("parses what the real script prints on this machine", () => {
    const output = execFileSync("bash", ["-s"], { input: hostCheckScript({ ips: ["127.0.0.1", "203.0.113.9"], otherHostNames: ["localhost", "localhost"] }), encoding: "utf8" });
    expect(output).toContain("@@resolve-all localhost localhost\n");
    const facts = parseHostFacts(output, Date.now());
    expect(facts.osId).toBe("debian");
    expect(facts.cpus).toBeGreaterThan(0);
    expect(facts.localIps).toEqual({ "127.0.0.1": true, "203.0.113.9": false });
    expect(facts.resolves.localhost).toContain("127.0.0.1");
    expect(Math.abs(facts.clockSkewMs!)).toBeLessThan(1000);
    expect(facts.virtualization?.reason).toMatch(/\S/);
  });
});
