import { describe, expect, it } from "vitest";
import type { HostFacts } from "@/lib/hostcheck/hostCheckResult";
import type { PlanView } from "@/lib/plan/planView";
import { tutorialHosts } from "@/lib/plan/tutorialTopology";
import { decideVirtType, evaluateHostFacts } from "./evaluateHostFacts";

let n = 0;
const hosts = tutorialHosts(() => `h${++n}`).map((h) => ({ ...h, passwordSet: true, privateKeySet: false }));
const plan: Pick<PlanView, "profile" | "hosts"> = { profile: "centos7-train", hosts };

const goodFacts: HostFacts = {
  osName: "CentOS Linux 7 (Core)",
  osId: "centos",
  osVersion: "7",
  hostname: "ct",
  machineId: "x",
  cpus: 4,
  memoryBytes: 8 * 1024 ** 3,
  rootFsBytes: 320e9,
  disks: [],
  localIps: { "192.168.100.110": true, "192.168.158.110": true },
  resolves: { c1: ["192.168.100.120"], c2: ["192.168.100.130"] },
  clockSkewMs: 120,
  virtualization: { kvmUsable: true, reason: "a test guest ran at hardware speed (100000 loop iterations in 0.3 ms)", cpuFlag: "vmx", nested: null },
};

const levels = (facts: HostFacts) => Object.fromEntries(evaluateHostFacts(facts, hosts[0], plan).map((f) => [f.id, f.level]));

describe("evaluateHostFacts", () => {
  it("is all green for a host like the tutorial's", () => {
    expect(Object.values(levels(goodFacts)).every((l) => l === "ok")).toBe(true);
  });

  it("warns about the wrong OS, small RAM and disk, a missing IP, clock skew and bad name resolution", () => {
    const findings = evaluateHostFacts(
      {
        ...goodFacts,
        osName: "Debian GNU/Linux 12 (bookworm)",
        osId: "debian",
        osVersion: "12",
        memoryBytes: 2 * 1024 ** 3,
        rootFsBytes: 20e9,
        localIps: { "192.168.100.110": true, "192.168.158.110": false },
        resolves: { c1: ["10.0.0.5"], c2: [] },
        clockSkewMs: -7400,
      },
      hosts[0],
      plan,
    );
    const text = Object.fromEntries(findings.map((f) => [f.id, `${f.level}: ${f.message}`]));
    expect(text.os).toBe("warn: Debian GNU/Linux 12 (bookworm) does not match the plan's profile (CentOS 7).");
    expect(text.memory).toBe("warn: 2.0 GiB of RAM, below the tutorial's 8 GB.");
    expect(text.disk).toMatch(/^warn: 19 GiB of disk/);
    expect(text["ip.natIp"]).toBe("warn: 192.168.158.110 (second IP in the plan) is not configured on any interface of this host.");
    expect(text.clock).toBe("warn: The clock is 7.4 s off this machine's; chrony will have to correct it.");
    expect(text["resolve.c1"]).toBe("warn: c1 resolves to 10.0.0.5, not to its management IP 192.168.100.120.");
    expect(text["resolve.c2"]).toMatch(/^warn: c2 does not resolve here yet/);
  });

  describe("virtualisation", () => {
    const compute = hosts.find((h) => h.role === "compute")!;
    const emulated = { kvmUsable: false, reason: "a test guest runs, but at emulation speed (100000 loop iterations took 52 ms; hardware virtualisation needs under 10 ms)", cpuFlag: null, nested: null } as const;
    const finding = (virtualization: HostFacts["virtualization"], host = compute) =>
      evaluateHostFacts({ ...goodFacts, virtualization }, host, plan).find((f) => f.id === "virtualization");

    it("says KVM on a compute whose test guest ran at hardware speed, with the CPU flag as context", () => {
      expect(finding({ ...goodFacts.virtualization!, nested: true })).toEqual({
        id: "virtualization",
        level: "ok",
        message: "Virtualisation: KVM — a test guest ran at hardware speed (100000 loop iterations in 0.3 ms) (CPU flag: vmx, nested).",
        text: { key: "hostcheck.virtKvm", params: { reason: "a test guest ran at hardware speed (100000 loop iterations in 0.3 ms)", cpu: "vmx, nested" } },
      });
    });

    it("warns, never fails, on a compute without usable KVM: QEMU, with the probe's reason", () => {
      expect(finding(emulated)).toMatchObject({
        level: "warn",
        message: "Virtualisation: QEMU (software), guests will be slow — /dev/kvm: a test guest runs, but at emulation speed (100000 loop iterations took 52 ms; hardware virtualisation needs under 10 ms) (CPU flag: —).",
        text: { key: "hostcheck.virtQemu" },
      });
      expect(finding(null)).toMatchObject({ level: "warn", text: { key: "hostcheck.virtUntested" } });
    });

    it("is not a finding on the controller, which runs no guests", () => {
      expect(finding(emulated, hosts[0])).toBeUndefined();
    });

    it("decides kvm only when the probe saw a guest run at hardware speed", () => {
      expect(decideVirtType(goodFacts.virtualization)).toBe("kvm");
      expect(decideVirtType(emulated)).toBe("qemu");
      expect(decideVirtType(null)).toBe("qemu");
    });
  });
});
