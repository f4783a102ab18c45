import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildPlaybook } from "../buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../planFile";
import { debian12Zed } from "../profiles/debian12Zed";
import { LIBVIRT_NO_CGROUPS } from "./novaCompute";
import { again, SECRET_VALUES, stepSandbox } from "./stepSandbox";

const file = planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../../examples/cloud.plan.json", import.meta.url)), "utf8")));
const input = playbookInputFromFile({ ...file, profile: "debian12-zed" });
const { run, scriptOf } = stepSandbox(buildPlaybook(input), input, SECRET_VALUES);
const [, c1] = input.hosts;
const qemuConf = debian12Zed.nova.libvirtQemuConfig;
const packaged = '# cgroup_controllers = [ "cpu", "devices" ]\nuser = "libvirt-qemu"\n';
const detectVirt = (container: boolean) => `systemd-detect-virt() { ${container ? "echo systemd-nspawn; return 0" : "echo none; return 1"}; }`;

describe("nova-compute.container", () => {
  it("inside a container, gives libvirt no cgroup controllers, once; the check then finds it done", () => {
    const box = { files: { [qemuConf]: packaged }, host: c1, setup: detectVirt(true) };
    expect(run(scriptOf("nova-compute.container", "check"), box).status).not.toBe(0);
    const applied = run(scriptOf("nova-compute.container"), box);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("running in a systemd-nspawn container");
    expect(run(scriptOf("nova-compute.container"), again(box), applied.root).status).toBe(0);
    expect(readFileSync(applied.at(qemuConf), "utf8")).toBe(`${packaged}${LIBVIRT_NO_CGROUPS}\n`);
    expect(run(scriptOf("nova-compute.container", "check"), again(box), applied.root).status).toBe(0);
  });

  it("on a real machine or a VM, changes nothing and counts as done", () => {
    const box = { files: { [qemuConf]: packaged }, host: c1, setup: detectVirt(false) };
    expect(run(scriptOf("nova-compute.container", "check"), box).status).toBe(0);
    const applied = run(scriptOf("nova-compute.container"), box);
    expect(readFileSync(applied.at(qemuConf), "utf8")).toBe(packaged);
  });
});
