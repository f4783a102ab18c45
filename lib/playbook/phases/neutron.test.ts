import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildPlaybook } from "../buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../planFile";
import type { ProfileName } from "../../plan/profiles";
import { DISTRO_FACTS } from "../profiles";
import { readIni, SECRET_VALUES, stepSandbox } from "./stepSandbox";

/** Neutron with the Linux bridge agent (the guide's option 2) as the steps write it, on both profiles. */

const file = planFileSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("../../../examples/cloud.plan.json", import.meta.url)), "utf8")));

function sandboxFor(profile: ProfileName) {
  const input = playbookInputFromFile({ ...file, profile });
  const playbook = buildPlaybook(input);
  return { input, facts: DISTRO_FACTS[profile], ...stepSandbox(playbook, input, SECRET_VALUES) };
}

/** `ip` as a host shows it: the second IP on `holder`, and, if that is a bridge, its ports. */
function fakeIp(holder: string, secondIp: string, ports: string[] = []): string {
  return [
    "ip() {",
    '  if [ "$1 $2 $3" = "-o -4 addr" ]; then',
    "    printf '2: eth0    inet 10.0.0.110/24 brd 10.0.0.255 scope global eth0\\n'",
    `    printf '3: ${holder}    inet %s/24 brd x scope global ${holder}\\n' "${secondIp}"`,
    '  elif [ "$1 $2 $3 $4" = "-o link show master" ]; then',
    ...ports.map((p, i) => `    printf '${i + 10}: ${p}: <BROADCAST,MULTICAST,UP> mtu 1500 master ${holder} state UP\\n'`),
    "    :",
    "  fi",
    "}",
  ].join("\n");
}

describe.each(["debian12-zed", "centos7-train"] as const)("%s: Neutron", (profile) => {
  const { input, facts, step, applyThenCheck, run, scriptOf } = sandboxFor(profile);
  const [ct, c1] = input.hosts;
  const { neutron, nova } = facts;

  it("writes the guide's neutron.conf and ML2, the agents' files and Nova's [neutron] on the controller, escaped for oslo.config", () => {
    const uwsgi = neutron.apiUwsgi?.config;
    const files = { [neutron.config]: "[DEFAULT]\n", [neutron.ml2Config]: "", [neutron.l3Config]: "", [neutron.dhcpConfig]: "", [neutron.metadataConfig]: "", ...(uwsgi ? { [uwsgi]: "[uwsgi]\nprocesses = 8\nthreads = 32\n" } : {}) };
    const applied = applyThenCheck("neutron.configure", { files, paths: neutron.pluginLink ? [neutron.pluginLink] : [] });
    const conf = readIni(applied.at(neutron.config));
    expect(conf.DEFAULT).toMatchObject({ core_plugin: "ml2", service_plugins: "router", notify_nova_on_port_status_changes: "true", auth_strategy: "keystone" });
    expect(conf.database.connection).toMatch(/^mysql\+pymysql:\/\/neutron:.+@ct\/neutron$/);
    expect(conf.nova).toMatchObject({ username: "nova", password: SECRET_VALUES.NOVA_PASS.replace(/\$/g, "$$$$") });
    // Zed refuses the Linux bridge driver unless told it is wanted; Train has no such switch.
    expect(conf.experimental?.linuxbridge).toBe(profile === "debian12-zed" ? "true" : undefined);
    const ml2 = readIni(applied.at(neutron.ml2Config));
    expect(ml2.ml2).toEqual({ type_drivers: "flat,vlan,vxlan", tenant_network_types: "vxlan", mechanism_drivers: "linuxbridge,l2population", extension_drivers: "port_security" });
    expect(ml2.ml2_type_flat.flat_networks).toBe("provider");
    expect(readIni(applied.at(neutron.dhcpConfig)).DEFAULT).toMatchObject({ interface_driver: "linuxbridge", enable_isolated_metadata: "true" });
    expect(readIni(applied.at(neutron.metadataConfig)).DEFAULT).toEqual({ nova_metadata_host: "ct", metadata_proxy_shared_secret: SECRET_VALUES.METADATA_SECRET.replace(/\$/g, "$$$$") });
    // Debian's uwsgi: eventlet hangs requests across threads.
    if (uwsgi) expect(readIni(applied.at(uwsgi)).uwsgi).toEqual({ processes: "2", threads: "1" });
    if (neutron.pluginLink) expect(readFileSync(applied.at(neutron.pluginLink), "utf8")).toBe(readFileSync(applied.at(neutron.ml2Config), "utf8"));
  });

  it("tells Nova on the controller where Neutron is and trusts the metadata proxy; the computes only where Neutron is", () => {
    const appliedOnController = applyThenCheck("neutron.nova", { files: { [nova.config]: "[DEFAULT]\n" }, fakes: ["systemctl"] });
    // Every Nova service reads nova.conf: Debian's metadata API too, which would otherwise refuse the new secret.
    expect(appliedOnController.log).toContain(`systemctl restart ${nova.controllerServices.join(" ")}`);
    const controllerNova = readIni(appliedOnController.at(nova.config));
    expect(controllerNova.neutron).toMatchObject({ username: "neutron", service_metadata_proxy: "true", region_name: "RegionOne" });
    const computeNova = readIni(applyThenCheck("neutron-agents.nova", { files: { [nova.config]: "[DEFAULT]\n" }, fakes: ["systemctl"], host: c1 }).at(nova.config));
    expect(computeNova.neutron.username).toBe("neutron");
    expect(computeNova.neutron.metadata_proxy_shared_secret).toBeUndefined();
    expect(step("neutron-agents.nova").apply.secrets).toEqual(["NEUTRON_PASS"]);
  });

  it("upgrades the schema with the files the server reads (RDO's through plugin.ini)", () => {
    const command = scriptOf("neutron.db-sync").body;
    expect(command).toContain(`neutron-db-manage --config-file ${neutron.config} --config-file ${neutron.pluginLink ?? neutron.ml2Config} upgrade head`);
    expect(step("neutron.services").ports).toEqual([{ port: 9696, on: "controller", fromRoles: ["compute"], label: "Neutron API" }]);
  });

  describe("the Linux bridge agent", () => {
    const files = { [neutron.config]: "", [neutron.linuxbridgeConfig]: "" };
    const paths = ["/etc/sysctl.d/90-stackpilot-neutron.conf", "/etc/modules-load.d", "/proc/sys/net/bridge/bridge-nf-call-iptables"];
    const sysctl = 'sysctl() { if [ "$1" = -n ]; then echo 1; else sp_fake sysctl "$@"; fi; }';

    it("carries the provider network on the NIC with the host's second IP, VXLAN on its management IP", () => {
      const applied = applyThenCheck("neutron-agents.configure", { files, paths, fakes: ["modprobe"], host: c1, setup: [fakeIp("eth1", c1.natIp), sysctl].join("\n") });
      const agent = readIni(applied.at(neutron.linuxbridgeConfig));
      expect(agent.linux_bridge.physical_interface_mappings).toBe("provider:eth1");
      expect(agent.vxlan).toEqual({ enable_vxlan: "true", local_ip: c1.managementIp, l2_population: "true" });
      expect(agent.securitygroup.firewall_driver).toBe("neutron.agent.linux.iptables_firewall.IptablesFirewallDriver");
      expect(readFileSync(applied.at("/etc/sysctl.d/90-stackpilot-neutron.conf"), "utf8")).toBe("net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\n");
      expect(readIni(applied.at(neutron.config)).DEFAULT.transport_url).toMatch(/^rabbit:\/\/openstack:.+@ct:5672\/$/);
    });

    it("finds the same NIC once the agent has moved the address to the provider bridge, past the guests' taps", () => {
      const box = { files, paths, fakes: ["modprobe"], host: ct, setup: [fakeIp("brq1234", ct.natIp, ["tap99", "vxlan-7", "eth1@if12"]), sysctl].join("\n") };
      const agent = readIni(applyThenCheck("neutron-agents.configure", box).at(neutron.linuxbridgeConfig));
      expect(agent.linux_bridge.physical_interface_mappings).toBe("provider:eth1");
    });

    it("says which address it looked for when no NIC has the second IP", () => {
      const failed = run(scriptOf("neutron-agents.configure"), { files, paths, fakes: ["modprobe"], host: c1, setup: [fakeIp("eth1", "10.9.9.9"), sysctl].join("\n") });
      expect(failed.status).not.toBe(0);
      expect(failed.stderr).toContain(`No interface on c1 has its second IP ${c1.natIp}`);
    });
  });
});
