import { describe, expect, it } from "vitest";
import { buildPlaybook } from "../playbook/buildPlaybook";
import { playbookInputFromPlan } from "../playbook/playbookInput";
import { renderHostScript } from "../playbook/renderScript";
import { buildReportData, groupStatus, maskTokens, REPORT_MASK } from "./reportData";
import { readFileSync } from "node:fs";
import { SAMPLE_TOKEN, sampleNetworkAgentList, sampleReportSource, withStepRun, withVmChecks } from "./reportFixture";

describe("buildReportData", () => {
  const source = sampleReportSource();
  const data = buildReportData(source);

  it("groups the step runs by phase and step in the playbook's order, with a status and timings per phase", () => {
    expect(data.phases.map((p) => p.key)).toEqual(["preflight", "base", "ssh-trust", "chrony", "mariadb", "rabbitmq", "memcached", "etcd", "keystone", "glance", "verify"]);
    expect(data.phases.flatMap((p) => p.steps.flatMap((s) => s.stepRuns.map((r) => r.id)))).toEqual(source.run.stepRuns.map((s) => s.id));
    const byKey = Object.fromEntries(data.phases.map((p) => [p.key, p]));
    expect(byKey.mariadb.status).toBe("succeeded");
    expect(byKey.glance.status).toBe("failed");
    expect(byKey.base.durationMs).toBeGreaterThan(0);
    const count = source.run.stepRuns.length;
    expect(count).toBeGreaterThan(50);
    expect(data.run).toMatchObject({ stepRunCount: count, status: "failed", attempts: source.run.stepRuns.reduce((sum, s) => sum + s.attempt, 0) });
    expect(byKey.verify.status).toBe("pending");
    expect(data.run.statusCounts).toMatchObject({ failed: 1, skipped: 4 });
  });

  it("says which deployment each verification output comes from, and masks Keystone tokens", () => {
    const of = (key: string) => data.verification.filter((v) => v.stepKey === key);
    expect(of("keystone.bootstrap")[0].source).toMatchObject({ kind: "this-run", runId: "run-2" });
    expect(of("keystone.bootstrap")[0].lines.join("\n")).toContain(`| id         | ${REPORT_MASK}`);
    expect(of("keystone.service-project")[0]).toMatchObject({ status: "skipped", source: { kind: "earlier-run", runId: "run-1", at: "2026-11-26T18:30:00.000Z" } });
    expect(of("keystone.service-project")[0].lines.join("\n")).toContain("| user ");
    expect(of("glance.identity")[0].lines.join("\n")).toContain("http://ct:9292");
    expect(of("glance.image")[0]).toMatchObject({ status: "failed", source: { kind: "none" }, lines: [] });
    expect(of("base.openstack-client")).toHaveLength(3);
    expect(JSON.stringify(data)).not.toContain(SAMPLE_TOKEN);
    expect(maskTokens(`id ${SAMPLE_TOKEN} x`)).toBe(`id ${REPORT_MASK} x`);
  });

  it("lists failures with their triage, keeps the latest port check per route and masks the admin password", () => {
    expect(data.failures).toHaveLength(1);
    expect(data.failures[0]).toMatchObject({ stepKey: "glance.image", hostName: "ct", attempt: 2, status: "failed" });
    expect(data.failures[0].hint).toMatch(/glance-api did not start/);
    expect(data.failures[0].sections.map((s) => s.command)).toContain("ss -ltnp");
    const mgmt = data.ports.filter((p) => p.port === 15672);
    expect(mgmt.map((p) => [p.fromHost, p.open, p.error])).toEqual([
      ["wizard", true, null],
      ["c1", false, "timed out after 30 s"],
      ["c2", false, "timed out after 30 s"],
    ]);
    expect(data.ports.find((p) => p.port === 5000)?.label).toBe("Keystone");
    expect(data.openrc?.text).toContain(`export OS_PASSWORD=${REPORT_MASK}\n`);
    expect(data.openrc).toMatchObject({ hostName: "ct", path: "/root/admin-openrc", stepStatus: "succeeded" });
  });

  it("gives each host's whole script as npm run plan renders it, with secrets as variable names", () => {
    const input = playbookInputFromPlan(source.snapshot);
    const playbook = buildPlaybook(input);
    expect(data.commands.map((c) => c.fileName)).toEqual(["ct.sh", "c1.sh", "c2.sh"]);
    expect(data.commands[0].script).toBe(renderHostScript(playbook, input.hosts[0], input));
    expect(data.commands[0].secrets).toContain("ADMIN_PASS");
    expect(data.commands[1].secrets).toEqual([]);
  });

  it("keeps the plan's secrets as names and set flags only, and draws the topology", () => {
    expect(data.plan.secrets.find((s) => s.kind === "service" && s.name === "ADMIN_PASS")).toEqual({ kind: "service", name: "ADMIN_PASS", set: true, setAt: "2026-11-27T20:00:00.000Z" });
    expect(data.plan.secrets.find((s) => s.kind === "ssh")).toMatchObject({ credential: "password", host: null, set: true });
    expect(data.topology.hosts.map((h) => h.name)).toEqual(["ct", "c1", "c2"]);
    expect(data.topology.services.ct).toEqual(expect.arrayContaining(["MariaDB :3306", "Keystone :5000", "Glance :9292"]));
    expect(data.topology.services.c1).toEqual(["chrony client"]);
    expect(data.topology.svg).toMatch(/^<svg[\s>]/);
  });

  it("is plain JSON: the same after a round trip", () => {
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it("folds step statuses into one per phase", () => {
    expect(groupStatus(["succeeded", "skipped", "manual"])).toBe("manual");
    expect(groupStatus(["skipped", "skipped"])).toBe("skipped");
    expect(groupStatus(["succeeded", "pending"])).toBe("pending");
    expect(groupStatus(["succeeded", "failed", "pending"])).toBe("failed");
    expect(groupStatus([])).toBe("pending");
  });
});

describe("buildReportData per scope", () => {
  const compute = buildReportData(sampleReportSource({ scope: "compute", failAt: null }));

  it("runs the compute scope's phases, names its ports and lists its secrets", () => {
    expect(compute.plan.scope).toBe("compute");
    expect(compute.plan.settings.map((s) => s.key)).not.toContain("scope");
    expect(compute.phases.map((p) => p.key).slice(-6)).toEqual(["placement", "nova", "nova-compute", "neutron", "neutron-agents", "verify"]);
    expect(compute.phases.every((p) => p.status === "succeeded" || p.status === "manual" || p.status === "skipped")).toBe(true);
    const labels = new Map(compute.ports.map((p) => [p.port, p.label]));
    expect([8778, 8774, 8775, 6080].map((port) => labels.get(port))).toEqual(["Placement", "Nova API", "Nova metadata API", "noVNC console proxy"]);
    expect(compute.plan.secrets.filter((s) => s.kind === "service").map((s) => (s.kind === "service" ? s.name : ""))).toEqual(expect.arrayContaining(["PLACEMENT_DBPASS", "PLACEMENT_PASS", "NOVA_DBPASS", "NOVA_PASS"]));
  });

  it("shows Nova and Placement in the topology", () => {
    expect(compute.topology.services.ct).toEqual(expect.arrayContaining(["Placement :8778", "Nova API :8774", "Nova metadata :8775", "noVNC proxy :6080", "nova-scheduler", "nova-conductor"]));
    expect(compute.topology.services.c1).toEqual(["chrony client", "nova-compute (libvirt)", "neutron-linuxbridge-agent"]);
    expect(compute.topology.svg).toContain("nova-compute (libvirt)");
    expect(compute.topology.services.c1).toContain("neutron-linuxbridge-agent");
    expect(compute.topology.networks).toEqual({ providerCidr: "192.168.158.0/24", floatingIpStart: "192.168.158.200", floatingIpEnd: "192.168.158.249", selfServiceCidr: "172.16.1.0/24" });
    expect(compute.topology.svg).toContain("VXLAN 172.16.1.0/24");
    expect(buildReportData(sampleReportSource()).topology.networks).toBeUndefined();
  });

  it("reads the compute verification's findings per compute from what it printed", () => {
    const [entry, ...more] = compute.verification.filter((v) => v.stepKey === "verify.compute");
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ hostName: "ct", status: "succeeded", source: { kind: "this-run" } });
    expect(entry.compute?.computes).toEqual([
      { host: "c1", novaCompute: "up", novaComputeStatus: "enabled", hypervisor: true, hypervisorType: "QEMU", resourceProvider: true },
      { host: "c2", novaCompute: "up", novaComputeStatus: "enabled", hypervisor: true, hypervisorType: "QEMU", resourceProvider: true },
    ]);
    expect(entry.compute?.novaStatus[0]).toEqual({ check: "Cells v2", result: "Success" });
    // Only verify.compute gets findings.
    expect(compute.verification.filter((v) => v.compute).map((v) => v.stepKey)).toEqual(["verify.compute"]);
  });

  it("reads the findings from an earlier deployment's output when this one found the step done", () => {
    const data = buildReportData(sampleReportSource({ scope: "compute", failAt: null, skipped: ["verify.compute"] }));
    const entry = data.verification.find((v) => v.stepKey === "verify.compute")!;
    expect(entry.source).toMatchObject({ kind: "earlier-run", runId: "run-1" });
    expect(entry.compute?.computes.map((c) => c.host)).toEqual(["c1", "c2"]);
  });

  it("reads per compute the VM verify.vm booted and every network agent verify.network listed", () => {
    const data = buildReportData(withVmChecks(sampleReportSource({ scope: "compute", failAt: null })));
    expect(data.vmCheck?.vms?.map((vm) => [vm.host, vm.image, vm.status, vm.activeSeconds, vm.ping, vm.ssh, vm.console, vm.deleted])).toEqual([
      ["c1", "stackpilot-guest", "ACTIVE", 18, "ok", "ok", "booted", true],
      ["c2", "stackpilot-guest", "ACTIVE", 23, "ok", "ok", "booted", true],
    ]);
    expect(data.vmCheck?.agents?.map((a) => `${a.type}@${a.host}`)).toEqual(["Metadata agent@ct", "L3 agent@ct", "DHCP agent@ct", "Linux bridge agent@ct", "Linux bridge agent@c1", "Linux bridge agent@c2"]);
    expect(data.vmCheck?.agents?.every((a) => a.alive)).toBe(true);
    // Without those steps' output (a compute cloud deployed before them), nothing is made up.
    const silent = withStepRun(withStepRun(sampleReportSource({ scope: "compute", failAt: null }), "verify.network", { result: null }), "verify.vm", { result: null });
    expect(buildReportData(silent).vmCheck).toBeNull();
  });

  it("reads a failed VM check from the step's last log lines, its fault included", () => {
    const lines = readFileSync(new URL("./fixtures/verifyVm.debian12-zed.txt", import.meta.url), "utf8").split("\n");
    const source = withStepRun(sampleReportSource({ scope: "compute", failAt: null }), "verify.vm", {
      status: "failed",
      exitCode: 1,
      result: { triage: { hint: null, lastLines: lines, sections: [] } },
    });
    const data = buildReportData(withStepRun(source, "verify.network", { result: { verifyOutput: sampleNetworkAgentList(["ct", "c1", "c2"], [{ type: "Linux bridge agent", host: "c2" }]) } }));
    const c2 = data.vmCheck?.vms?.find((vm) => vm.host === "c2");
    expect(c2).toMatchObject({ status: "ERROR", activeSeconds: null, ping: "skipped" });
    expect(c2?.faults).toEqual([expect.stringMatching(/aborted: Binding failed for port 9d3e0c55/)]);
    expect(data.vmCheck?.agents?.filter((a) => !a.alive).map((a) => a.host)).toEqual(["c2"]);
    // The same from the log tail the server gives for a failed step without a triage.
    const untriaged = withStepRun(source, "verify.vm", { result: null });
    const id = untriaged.run.stepRuns.find((s) => s.stepKey === "verify.vm")!.id;
    expect(buildReportData({ ...untriaged, logTails: { [id]: lines } }).vmCheck?.vms?.map((vm) => vm.status)).toEqual(["ACTIVE", "ERROR"]);
  });

  it("keeps a run's snapshot from before scopes the tutorial: its phases, services, secrets and no compute verification", () => {
    const source = sampleReportSource({ scope: null });
    expect("scope" in source.snapshot.settings).toBe(false);
    const old = buildReportData(source);
    expect(old.plan.scope).toBe("tutorial");
    expect(old.phases.map((p) => p.key)).not.toContain("nova");
    expect(old.topology.services.c1).toEqual(["chrony client"]);
    expect(old.plan.secrets.some((s) => s.kind === "service" && s.name.startsWith("NOVA"))).toBe(false);
    expect(old.verification.some((v) => v.stepKey === "verify.compute")).toBe(false);
    expect(old.vmCheck).toBeNull();
    expect(old).toEqual(buildReportData(sampleReportSource({ scope: "tutorial" })));
  });
});
