// Runs against a lab that is already up (.ci/run brings it up before and down after the tests).
// Traffic goes only to the lab's own hosts, inside the namespaces lab:up created.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { LabStatus } from "./lab";
import { readLabRootPassword, readLabState, type LabHost, type LabState } from "./state";

const exec = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "..");

let lab: LabState;

/** Runs a command on a lab host as root; the password goes through sshpass's file, never argv. */
async function onHost(host: LabHost, command: string): Promise<string> {
  const { stdout } = await exec(
    "sshpass",
    [
      "-f", lab.rootPasswordFile,
      "ssh",
      "-o", "StrictHostKeyChecking=no",
      "-o", "UserKnownHostsFile=/dev/null",
      "-o", "LogLevel=ERROR",
      "-o", "ConnectTimeout=5",
      "-p", String(host.sshPort),
      `${lab.rootUser}@${host.managementIp}`,
      command,
    ],
    { timeout: 60_000 },
  );
  return stdout.trim();
}

const byName = (name: string) => lab.hosts.find((h) => h.name === name)!;

beforeAll(async () => {
  const state = await readLabState();
  if (!state) throw new Error("the lab is down: run `npm run lab:up` (as root) before the lab's integration tests");
  lab = state;
});

describe("local lab", () => {
  it("lab:status --json reports all three hosts reachable, without revealing the password", async () => {
    const { stdout } = await exec(path.join(repoRoot, "node_modules/.bin/tsx"), ["lab/cli.ts", "status", "--json"], { cwd: repoRoot });
    const status = JSON.parse(stdout) as LabStatus;
    expect(status.up).toBe(true);
    expect(status.hosts.map((h) => [h.name, h.reachable])).toEqual([["ct", true], ["c1", true], ["c2", true]]);
    expect(status.rootPasswordSource).toMatchObject({ file: lab.rootPasswordFile, exists: true, mode: "0600" });
    expect(status.ipForward).toBe("0");
    const password = await readLabRootPassword();
    expect(password).toBeTruthy();
    expect(stdout).not.toContain(password!);
  });

  it("describes three hosts in lab.json (mode 0600, no password in it)", async () => {
    expect(lab.hosts.map((h) => [h.name, h.role, h.sshPort])).toEqual([
      ["ct", "controller", 22],
      ["c1", "compute", 22],
      ["c2", "compute", 22],
    ]);
    expect(new Set(lab.hosts.map((h) => h.managementIp)).size).toBe(3);
    const stateFile = path.join(path.dirname(lab.rootPasswordFile), "lab.json");
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    expect((await stat(lab.rootPasswordFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(stateFile, "utf8")).not.toContain((await readLabRootPassword())!);
  });

  it("gives every host its own hostname, machine-id and IP, with systemd up", async () => {
    const facts = await Promise.all(
      lab.hosts.map(async (h) => {
        const [hostname, machineId, ips, systemd] = (
          await onHost(h, "hostname; cat /etc/machine-id; hostname -I; systemctl is-system-running --wait")
        ).split("\n");
        return { name: h.name, ip: h.managementIp, hostname, machineId, ips: ips.trim().split(/\s+/), systemd };
      }),
    );
    for (const f of facts) {
      expect(f.hostname).toBe(f.name);
      expect(f.machineId).toMatch(/^[0-9a-f]{32}$/);
      expect(f.ips).toContain(f.ip);
      expect(f.systemd).toBe("running");
    }
    expect(new Set(facts.map((f) => f.hostname)).size).toBe(3);
    expect(new Set(facts.map((f) => f.machineId)).size).toBe(3);
  });

  it("lets ct reach c1 by name (ping) and c2's sshd by name", async () => {
    const ct = byName("ct");
    expect(await onHost(ct, "ping -c1 -W2 c1 >/dev/null && echo ok")).toBe("ok");
    expect(await onHost(ct, "timeout 5 bash -c 'exec 3<>/dev/tcp/c2/22; head -c 8 <&3'")).toBe("SSH-2.0-");
    expect(await onHost(ct, "getent hosts c2")).toMatch(new RegExp(`^${byName("c2").managementIp.replaceAll(".", "\\.")}\\s+c2$`));
  });

  it("keeps hosts off the outside world: no default route, apt only via the proxy, which refuses non-mirror hosts", async () => {
    const ct = byName("ct");
    expect(await onHost(ct, "ip route")).not.toMatch(/^default/m);
    expect(await onHost(ct, "apt-config dump Acquire::http::Proxy")).toContain(lab.proxyUrl);
    // The proxy denies by hostname before any lookup, so this request never leaves the machine.
    expect(await onHost(ct, `curl -s -o /dev/null -w '%{http_code}' -x ${lab.proxyUrl} http://example.com/`)).toBe("403");
  });

  describe("a compute host can be a hypervisor (what libvirt, qemu and Neutron linuxbridge need)", () => {
    const c1 = () => byName("c1");

    it("opens /dev/net/tun: a tap device can be made and removed", async () => {
      expect(await onHost(c1(), "ip tuntap add mode tap name sptest0 && ip link del sptest0 && echo ok")).toBe("ok");
    });

    it("has /dev/kvm exactly when this machine has it, for the host's probe to judge", async () => {
      expect(await onHost(c1(), "test -c /dev/kvm && echo present || echo absent")).toBe(existsSync("/dev/kvm") ? "present" : "absent");
    });

    it("may change its own network settings: ip_forward and br_netfilter's bridge-nf-call-iptables", async () => {
      // ip_forward is per network namespace: flip it on c1 and back, the machine's stays 0.
      const forward = await onHost(c1(), "sysctl -w net.ipv4.ip_forward=1 && sysctl -n net.ipv4.ip_forward; sysctl -w net.ipv4.ip_forward=0");
      expect(forward.split("\n")[1]).toBe("1");
      expect(await readFile("/proc/sys/net/ipv4/ip_forward", "utf8")).toBe("0\n");
      // Only the current value is written back, so no kernel where this setting is machine-wide changes.
      const bridgeNf = "net.bridge.bridge-nf-call-iptables";
      expect(await onHost(c1(), `sysctl -w ${bridgeNf}=$(sysctl -n ${bridgeNf}) >/dev/null && echo ok`)).toBe("ok");
    });

    it("runs with every capability this machine has, CAP_SYS_ADMIN and CAP_NET_ADMIN among them", async () => {
      const machineBounding = (await readFile("/proc/self/status", "utf8")).match(/^CapBnd:\s+(\S+)$/m)![1];
      const effective = await onHost(c1(), "awk '/^CapEff/ {print $2}' /proc/self/status");
      expect(effective).toBe(machineBounding);
      const names = await onHost(c1(), `capsh --decode=${effective}`);
      for (const capability of ["cap_sys_admin", "cap_net_admin"]) expect(names).toContain(capability);
    });
  });
});
