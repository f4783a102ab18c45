import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** `npm run plan -- ARGS`, as a user runs it. */
function plan(...args: string[]) {
  const result = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/plan.ts", ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The printed scripts by host: "#### ct.sh" starts each. */
function scripts(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.split(/^#### /m).slice(1).map((part) => [part.slice(0, part.indexOf("\n")), part]));
}

const out = mkdtempSync(path.join(os.tmpdir(), "stackpilot-plan-"));
/** Plan files the tests write, apart from the scripts --out writes. */
const files = mkdtempSync(path.join(os.tmpdir(), "stackpilot-planfiles-"));
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe("npm run plan", () => {
  it("prints the compute cloud's scripts for examples/cloud.plan.json: Placement and Nova on ct, nova-compute on each compute", () => {
    const { status, stdout } = plan("--plan", "examples/cloud.plan.json");
    expect(status).toBe(0);
    const byHost = scripts(stdout);
    expect(Object.keys(byHost)).toEqual(["ct.sh", "c1.sh", "c2.sh"]);
    for (const key of ["placement.install", "nova.cell1", "nova-compute.discover-hosts", "verify.compute"]) expect(byHost["ct.sh"]).toContain(key);
    for (const host of ["c1.sh", "c2.sh"]) {
      expect(byHost[host]).toContain("nova-compute.service");
      expect(byHost[host]).toContain("SP_HOST_VIRT_TYPE=qemu");
      expect(byHost[host]).not.toContain("placement.install");
    }
  });

  it("--scope overrides the file's: the tutorial without Nova, or the tutorial's file as a compute cloud", () => {
    const tutorial = plan("--plan", "examples/cloud.plan.json", "--scope", "tutorial");
    expect(tutorial.status).toBe(0);
    expect(tutorial.stdout).toContain("glance.install");
    expect(tutorial.stdout).not.toMatch(/placement|nova/i);
    const compute = plan("--plan", "examples/tutorial.plan.json", "--scope", "compute", "--format", "json");
    expect(compute.status).toBe(0);
    const { input, playbook } = JSON.parse(compute.stdout) as { input: { scope: string }; playbook: { phases: { key: string }[] } };
    expect(input.scope).toBe("compute");
    expect(playbook.phases.map((p) => p.key).slice(-6)).toEqual(["placement", "nova", "nova-compute", "neutron", "neutron-agents", "verify"]);
  });

  it("round-trips the compute scope's networks: --format plan writes them back as typed (empty: derived), and reads back the same", () => {
    const cloud = JSON.parse(readFileSync("examples/cloud.plan.json", "utf8")) as { settings: Record<string, string> };
    const networks = { providerCidr: "192.168.158.0/24", providerGateway: "192.168.158.254", floatingIpStart: "192.168.158.10", floatingIpEnd: "192.168.158.60", selfServiceCidr: "" };
    const typed = path.join(files, "networks.plan.json");
    writeFileSync(typed, JSON.stringify({ ...cloud, settings: { ...cloud.settings, ...networks } }));
    const written = plan("--plan", typed, "--format", "plan");
    expect(written.status).toBe(0);
    const exported = JSON.parse(written.stdout) as { scope: string; settings: Record<string, string>; hosts: { name: string; natIp: string }[] };
    expect(exported.scope).toBe("compute");
    expect(exported.settings).toMatchObject(networks);
    expect(exported.hosts.map((h) => `${h.name} ${h.natIp}`)).toEqual(["ct 192.168.158.110", "c1 192.168.158.120", "c2 192.168.158.130"]);
    const again = path.join(files, "exported.plan.json");
    writeFileSync(again, written.stdout);
    expect(plan("--plan", again, "--format", "plan").stdout).toBe(written.stdout);
    const json = JSON.parse(plan("--plan", again, "--format", "json").stdout) as { input: { options: Record<string, string> } };
    expect(json.input.options).toMatchObject(networks);
  });

  it("refuses a plan file whose floating IP range takes a host's second IP, naming the host", () => {
    const cloud = JSON.parse(readFileSync("examples/cloud.plan.json", "utf8")) as { settings: Record<string, string> };
    const clash = path.join(files, "clash.plan.json");
    writeFileSync(clash, JSON.stringify({ ...cloud, settings: { ...cloud.settings, floatingIpStart: "192.168.158.100", floatingIpEnd: "192.168.158.119" } }));
    const refused = plan("--plan", clash);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("settings.floatingIpStart: The floating IP range 192.168.158.100–192.168.158.119 contains the second IP of ct (192.168.158.110)");
  });

  it("writes one script per host with --out, and refuses a scope it does not know", () => {
    const written = plan("--plan", "examples/cloud.plan.json", "--out", out);
    expect(written.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["c1.sh", "c2.sh", "ct.sh"]);
    expect(readFileSync(path.join(out, "ct.sh"), "utf8")).toContain("verify.compute");
    const refused = plan("--plan", "examples/cloud.plan.json", "--scope", "everything");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("--scope must be one of tutorial, compute");
  });
});
