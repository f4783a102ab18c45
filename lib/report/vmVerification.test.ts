import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { faultMessage, readNetworkAgents, readVmResults, runVmCheck } from "./vmVerification";
import { cliTable } from "./reportFixture";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8").split("\n");

describe("readVmResults", () => {
  it("reads per compute the VM, its image, time to ACTIVE, addresses and checks, the failed one's fault and the deletions", () => {
    const vms = readVmResults(fixture("verifyVm.debian12-zed.txt"))!;
    expect(vms).toEqual([
      {
        host: "c1",
        server: "sp-verify-c1",
        image: "stackpilot-guest",
        status: "ACTIVE",
        activeSeconds: 21,
        fixedIp: "172.16.1.57",
        floatingIp: "10.123.1.214",
        ping: "ok",
        ssh: "ok",
        console: "booted",
        faults: [],
        deleted: true,
      },
      {
        host: "c2",
        server: "sp-verify-c2",
        image: "stackpilot-guest",
        status: "ERROR",
        activeSeconds: null,
        fixedIp: null,
        floatingIp: null,
        ping: "skipped",
        ssh: "skipped",
        console: "skipped",
        // Printed before the VM's own line, as Nova's dict: its message.
        faults: ["Build of instance 6f1c2d3e-8a9b-4c0d-9e1f-2a3b4c5d6e7f aborted: Binding failed for port 9d3e0c55-1b2a-4f3e-8c7d-6b5a4f3e2d1c, please check neutron logs for more information."],
        deleted: true,
      },
    ]);
  });

  it("keeps an image name with spaces whole, reads a line behind a log prefix, and tells a VM not yet deleted", () => {
    const vms = readVmResults([
      "12:00:01 SP_VM host=c1 server=vm-1 image=Ubuntu 22.04 (uploaded) status=ACTIVE active_seconds=40 fixed_ip=172.16.1.9 floating_ip=- ping=failed ssh=failed console=booted",
      "SP_VM_FAULT host=c9 a fault of a compute never reported",
    ])!;
    expect(vms).toHaveLength(1);
    expect(vms[0]).toMatchObject({ image: "Ubuntu 22.04 (uploaded)", activeSeconds: 40, floatingIp: null, ping: "failed", deleted: false, faults: [] });
  });

  it("takes the message out of Nova's fault, whichever quotes it has, and keeps any other text", () => {
    expect(faultMessage(`{'code': 500, 'created': '2026-12-08T00:41:07Z', 'message': 'No valid host was found. There are not enough hosts available.'}`)).toBe("No valid host was found. There are not enough hosts available.");
    expect(faultMessage(`{'code': 500, 'message': "Instance can't boot: \\"qemu\\" exited", 'details': 'x'}`)).toBe(`Instance can't boot: "qemu" exited`);
    expect(faultMessage("  Connection to the hypervisor is broken  ")).toBe("Connection to the hypervisor is broken");
  });

  it("finds nothing in output without SP_VM lines", () => {
    expect(readVmResults(["openstack: command not found", "SP_VMX host=c1"])).toBeNull();
  });
});

describe("readNetworkAgents", () => {
  it("reads every agent with its host, alive or not (the lab's output with c2's Linux bridge agent dead)", () => {
    const agents = readNetworkAgents(fixture("verifyNetwork.debian12-zed.txt"))!;
    expect(agents.map((a) => [a.type, a.host, a.alive, a.state, a.binary])).toEqual([
      ["Metadata agent", "ct", true, "UP", "neutron-metadata-agent"],
      ["L3 agent", "ct", true, "UP", "neutron-l3-agent"],
      ["DHCP agent", "ct", true, "UP", "neutron-dhcp-agent"],
      ["Linux bridge agent", "c1", true, "UP", "neutron-linuxbridge-agent"],
      ["Linux bridge agent", "c2", false, "UP", "neutron-linuxbridge-agent"],
      ["Linux bridge agent", "ct", true, "UP", "neutron-linuxbridge-agent"],
    ]);
  });

  it("finds the agent table among other tables, and nothing without one", () => {
    const lines = [...cliTable([["Field", "Value"], ["id", "x"]]), ...cliTable([["ID", "Agent Type", "Host", "Availability Zone", "Alive", "State", "Binary"], ["1", "L3 agent", "ct.example.org", "nova", "XXX", "DOWN", "neutron-l3-agent"]])];
    expect(readNetworkAgents(lines)).toEqual([{ type: "L3 agent", host: "ct.example.org", alive: false, state: "DOWN", binary: "neutron-l3-agent" }]);
    expect(readNetworkAgents(cliTable([["ID", "Name"], ["1", "x"]]))).toBeNull();
  });
});

describe("runVmCheck", () => {
  const vm = fixture("verifyVm.debian12-zed.txt");
  const network = fixture("verifyNetwork.debian12-zed.txt");

  it("reads the verify output once there, the log lines while the step runs, a failed step's triage else", () => {
    expect(runVmCheck([{ stepKey: "verify.vm", result: { verifyOutput: vm }, log: [] }])?.vms).toHaveLength(2);
    const running = runVmCheck([{ stepKey: "verify.network", result: { verifyOutput: network }, log: [] }, { stepKey: "verify.vm", result: null, log: vm.slice(0, 3) }]);
    expect(running?.vms?.map((v) => v.host)).toEqual(["c1", "c2"]);
    expect(running?.agents).toHaveLength(6);
    expect(runVmCheck([{ stepKey: "verify.vm", result: { triage: { lastLines: vm } }, log: [] }])?.vms?.[1].faults).toHaveLength(1);
  });

  it("is null before either check printed anything", () => {
    expect(runVmCheck([])).toBeNull();
    expect(runVmCheck([{ stepKey: "verify.vm", result: null, log: ["Booting sp-verify-c1 on c1"] }, { stepKey: "verify.compute", result: { verifyOutput: network }, log: [] }])).toBeNull();
  });
});
