import { installStep } from "../packages";
import { allOf, enableAndStart, iniSettings, isActive, script, startedAfter, verifiedByCheck, type IniSetting, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { NEUTRON_CONF_SECRETS, PROVIDER_PHYSNET, neutronCommonSettings, novaNeutronSettings } from "./neutron";

/**
 * Sets $SP_PROVIDER_NIC: the interface holding this host's second IP ($SP_HOST_PROVIDER_IP), the
 * tutorial's second network. Once the Linux bridge agent has put that NIC into the provider
 * network's bridge (brq…), the address lives on the bridge: the NIC is then the bridge's port
 * that is neither a guest's tap nor a VXLAN interface, so a re-run finds the same name.
 */
export const PROVIDER_NIC_LINES = [
  "sp_provider_nic() {",
  '  local dev',
  "  dev=$(ip -o -4 addr show | awk -v ip=\"$SP_HOST_PROVIDER_IP\" '{ split($4, a, \"/\"); if (a[1] == ip) { print $2; exit } }')",
  '  case "$dev" in brq*) dev=$(ip -o link show master "$dev" | awk -F\': \' \'$2 !~ /^(tap|vxlan)/ { sub(/@.*/, "", $2); print $2; exit }\') ;; esac',
  '  [ -n "$dev" ] || { echo "No interface on $SP_HOST_NAME has its second IP $SP_HOST_PROVIDER_IP: the provider network is carried by that NIC." >&2; return 1; }',
  "  printf '%s\\n' \"$dev\"",
  "}",
  "SP_PROVIDER_NIC=$(sp_provider_nic)",
];

/** The Linux bridge agent: the provider network on the second NIC, VXLAN over the management IP, iptables security groups. */
export const LINUXBRIDGE_SETTINGS: IniSetting[] = [
  ["linux_bridge", "physical_interface_mappings", [`${PROVIDER_PHYSNET}:`, "$SP_PROVIDER_NIC"]],
  ["vxlan", "enable_vxlan", "true"],
  ["vxlan", "local_ip", ["$SP_HOST_IP"]],
  ["vxlan", "l2_population", "true"],
  ["securitygroup", "enable_security_group", "true"],
  ["securitygroup", "firewall_driver", "neutron.agent.linux.iptables_firewall.IptablesFirewallDriver"],
];

/** Bridged traffic goes through iptables, where the security groups are: the guide's two kernel settings. */
const BRIDGE_SYSCTL_FILE = "/etc/sysctl.d/90-stackpilot-neutron.conf";
const BRIDGE_SYSCTLS = ["net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables"];

/** The settings are there once br_netfilter is: built into some kernels, a module on others. */
const bridgeSysctlCheck = BRIDGE_SYSCTLS.map((key) => `[ "$(sysctl -n ${key} 2>/dev/null)" = 1 ] && grep -qx '${key} = 1' ${BRIDGE_SYSCTL_FILE}`);
const bridgeSysctlApply = [
  `[ -e /proc/sys/${BRIDGE_SYSCTLS[0].replaceAll(".", "/")} ] || modprobe br_netfilter`,
  "mkdir -p /etc/modules-load.d && echo br_netfilter > /etc/modules-load.d/stackpilot-neutron.conf",
  `printf '%s\\n' ${BRIDGE_SYSCTLS.map((key) => `'${key} = 1'`).join(" ")} > ${BRIDGE_SYSCTL_FILE}`,
  `sysctl -p ${BRIDGE_SYSCTL_FILE}`,
];

/** The controller's Linux bridge, L3, DHCP and metadata agents, and one Linux bridge agent per compute. */
export function expectedAgentCount({ computes }: PhaseContext): number {
  return 4 + computes.length;
}

/** Neutron's agents: the Linux bridge agent on every host, the L3, DHCP and metadata agents on the controller. */
export function neutronAgentsPhase(ctx: PhaseContext): Phase {
  const { facts } = ctx;
  const { neutron, nova } = facts;
  const secrets = [...NEUTRON_CONF_SECRETS];
  const conf = iniSettings(neutron.config, neutronCommonSettings(ctx));
  const bridge = iniSettings(neutron.linuxbridgeConfig, LINUXBRIDGE_SETTINGS);
  const novaConf = iniSettings(nova.config, novaNeutronSettings(ctx, false));
  const agentFiles = [neutron.config, neutron.linuxbridgeConfig];
  const controllerAgentFiles = [neutron.config, neutron.l3Config, neutron.dhcpConfig, neutron.metadataConfig];
  const expectedAgents = expectedAgentCount(ctx);

  return {
    key: "neutron-agents",
    title: "Networking agents on every host (Linux bridge; L3, DHCP and metadata on the controller)",
    steps: (
      [
        // The controller's came with neutron.install.
        { ...installStep(facts, "neutron-agents.install", "Install the Linux bridge agent", neutron.agentPackages, 1800, ["compute"]), services: [neutron.linuxbridgeService] },
        {
          key: "neutron-agents.configure",
          title: "The Linux bridge agent: the provider network on the second NIC, VXLAN over the management network; bridge netfilter on",
          roles: ["controller", "compute"],
          check: script([...PROVIDER_NIC_LINES, allOf([...conf.check, ...bridge.check, ...bridgeSysctlCheck]).body], secrets),
          apply: script([`sp_need ${secrets.join(" ")}`, ...PROVIDER_NIC_LINES, 'sp_log "provider network on $SP_PROVIDER_NIC"', ...conf.apply, ...bridge.apply, ...bridgeSysctlApply], secrets),
          services: [neutron.linuxbridgeService],
          timeoutSeconds: 60,
        },
        {
          key: "neutron-agents.nova",
          title: "nova.conf [neutron] on the computes; nova-compute restarted",
          roles: ["compute"],
          check: allOf([...novaConf.check, startedAfter(nova.computeService, [nova.config])], ["NEUTRON_PASS"]),
          apply: script(["sp_need NEUTRON_PASS", ...novaConf.apply, `systemctl restart ${nova.computeService}`], ["NEUTRON_PASS"]),
          services: [nova.computeService],
          timeoutSeconds: 120,
        },
        {
          key: "neutron-agents.linuxbridge",
          title: "The Linux bridge agent enabled and started",
          roles: ["controller", "compute"],
          check: allOf([isActive([neutron.linuxbridgeService]), startedAfter(neutron.linuxbridgeService, agentFiles)]),
          apply: script([enableAndStart([neutron.linuxbridgeService])]),
          services: [neutron.linuxbridgeService],
          timeoutSeconds: 120,
        },
        {
          key: "neutron-agents.controller",
          title: "The L3, DHCP and metadata agents enabled and started; every agent alive",
          roles: ["controller"],
          check: allOf([isActive(neutron.controllerAgentServices), ...neutron.controllerAgentServices.map((s) => startedAfter(s, controllerAgentFiles))]),
          apply: script([enableAndStart(neutron.controllerAgentServices)]),
          // Each agent reports in over the message queue within seconds of starting.
          verify: script([
            `. ${ADMIN_OPENRC}`,
            "for i in $(seq 1 40); do",
            "  alive=$(openstack network agent list -f value -c Alive | grep -cE '^(True|:-\\))$' || true)",
            `  [ "$alive" -ge ${expectedAgents} ] && break`,
            "  sleep 3",
            "done",
            "openstack network agent list",
            `[ "$alive" -ge ${expectedAgents} ] || { echo "Only $alive of ${expectedAgents} Neutron agents are alive (see the list above; the missing one's journal on its host)." >&2; exit 1; }`,
          ]),
          services: [...neutron.controllerAgentServices, neutron.linuxbridgeService],
          timeoutSeconds: 300,
        },
      ] satisfies Step[]
    ).map(verifiedByCheck),
  };
}
