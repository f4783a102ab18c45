import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildPlaybook } from "../buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../planFile";
import { debian12Zed } from "../profiles/debian12Zed";
import type { ServiceSecret } from "../serviceSecrets";
import { readIni, stepSandbox } from "./stepSandbox";

/**
 * Where Debian 12's packages (Zed: placement-api 8.0, nova 26.2) differ from the Train guide: what
 * their files say at install time, which the compute scope's steps must override.
 */

const file = planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../../examples/cloud.plan.json", import.meta.url)), "utf8")));
const input = playbookInputFromFile({ ...file, profile: "debian12-zed" });
const playbook = buildPlaybook(input);
const [, c1] = input.hosts;

const SECRET_VALUES = Object.fromEntries(
  ["MARIADB_ROOT_PASS", "RABBIT_PASS", "KEYSTONE_DBPASS", "ADMIN_PASS", "GLANCE_DBPASS", "GLANCE_PASS", "PLACEMENT_DBPASS", "PLACEMENT_PASS", "NOVA_DBPASS", "NOVA_PASS"].map((name, i) => [name, `${name.toLowerCase()} $'"%@/${i}`]),
) as Record<ServiceSecret, string>;

const { step, linesOf, applyThenCheck } = stepSandbox(playbook, input, SECRET_VALUES);

describe("debian12-zed, compute scope", () => {
  it("installs placement-api with python3-osc-placement, and restarts its own uwsgi (started at install time, before placement.conf)", () => {
    expect(linesOf("placement.install")).toContain("DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold -o Dpkg::Use-Pty=0 placement-api python3-osc-placement");
    expect(linesOf("placement.web")).toContain("systemctl enable placement-api && systemctl restart placement-api");
    expect(step("placement.web").check?.body).toContain("ActiveEnterTimestamp placement-api");
    expect(step("placement.web").apply.body).not.toContain("<Directory");
  });

  it("replaces what Debian's placement.conf says of Keystone (localhost, regionOne)", () => {
    const conf = debian12Zed.placement.config;
    const packaged = "[keystone_authtoken]\nauth_url = http://localhost:5000\nwww_authenticate_uri = http://localhost:5000\nregion_name = regionOne\n[placement_database]\n";
    const ini = readIni(applyThenCheck("placement.configure", { files: { [conf]: packaged } }).at(conf));
    expect(ini.keystone_authtoken).toMatchObject({ auth_url: "http://ct:5000/v3", www_authenticate_uri: "http://ct:5000", region_name: "RegionOne" });
  });

  it("gives nova.conf the service user token Nova 26.2 needs, and no Train-only network options; noVNC, not the spice proxy the install started; starts the separate metadata API", () => {
    const conf = debian12Zed.nova.config;
    const defaults = "/etc/default/nova-consoleproxy";
    const box = { files: { [conf]: "[DEFAULT]\n[placement]\nusername = =\nregion_name = regionOne\n", [defaults]: "NOVA_CONSOLE_PROXY_TYPE=spicehtml5\nNOVA_SERIAL_PROXY_START=true\n" }, fakes: ["debconf-set-selections"],
      // The spice proxy the install started runs until stopped.
      setup: `systemctl() { sp_fake systemctl "$@"; case "$1" in stop) touch "$SP_TEST_ROOT/spice-stopped" ;; is-active) [ ! -e "$SP_TEST_ROOT/spice-stopped" ] ;; esac; }`,
    };
    const applied = applyThenCheck("nova.configure", box);
    const ini = readIni(applied.at(conf));
    expect(ini.service_user).toMatchObject({ send_service_user_token: "true", auth_url: "http://ct:5000/v3", username: "nova", password: SECRET_VALUES.NOVA_PASS.replace(/\$/g, "$$$$") });
    expect(ini.placement).toMatchObject({ username: "placement", region_name: "RegionOne" });
    expect(ini.DEFAULT.use_neutron).toBeUndefined();
    // The console proxy package starts the spice proxy unless told novnc.
    expect(readFileSync(applied.at(defaults), "utf8")).toBe("NOVA_CONSOLE_PROXY_TYPE=novnc\nNOVA_SERIAL_PROXY_START=true\n");
    expect(applied.log).toEqual(["debconf-set-selections", "systemctl stop nova-spicehtml5proxy"]);
    expect(step("nova.services").services).toEqual(["nova-api", "nova-api-metadata", "nova-scheduler", "nova-conductor", "nova-novncproxy"]);
  });

  it("sets virt_type in nova-compute.conf, which Debian's nova-compute reads after nova.conf (its package writes kvm there)", () => {
    const virtConf = debian12Zed.nova.virtTypeConfig;
    const packaged = "[DEFAULT]\ncompute_driver=libvirt.LibvirtDriver\n[libvirt]\nvirt_type=kvm\n";
    // A /dev/kvm that is no KVM device: c1 was never checked, and its own probe finds no usable KVM.
    const applied = applyThenCheck("nova-compute.configure", { host: c1, files: { [virtConf]: packaged, "/dev/kvm": "" }, paths: [debian12Zed.nova.config] });
    expect(readFileSync(applied.at(virtConf), "utf8")).toBe("[DEFAULT]\ncompute_driver=libvirt.LibvirtDriver\n[libvirt]\nvirt_type = qemu\n");
    expect(readIni(applied.at(debian12Zed.nova.config)).libvirt).toBeUndefined();
    expect(linesOf("nova-compute.service")).toContain("systemctl enable libvirtd nova-compute && systemctl restart libvirtd nova-compute");
  });
});
