import { installStep } from "../packages";
import { allOf, asUser, enableAndStart, iniSettings, isActive, script, startedAfter, verifiedByCheck, type IniSetting, type PhaseContext } from "../phaseContext";
import type { ServiceSecret } from "../serviceSecrets";
import type { Phase, Step } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { openstackDatabaseStep, tableExists } from "./openstackDatabase";
import { keystoneAuthtokenSettings, serviceIdentityStep } from "./serviceIdentity";

/** The secrets neutron.conf holds on every host. */
export const NEUTRON_CONF_SECRETS = ["RABBIT_PASS", "NEUTRON_PASS"] as const satisfies readonly ServiceSecret[];

/** The provider network's name in ML2 and in the Linux bridge agent's mappings, as the guide calls it. */
export const PROVIDER_PHYSNET = "provider";

/** What neutron.conf says on every host: the message queue, Keystone, the lock path. */
export function neutronCommonSettings(ctx: PhaseContext): IniSetting[] {
  return [
    ["DEFAULT", "transport_url", ["rabbit://openstack:", { secret: "RABBIT_PASS", escape: "url" }, "@$SP_CONTROLLER_NAME:5672/"]],
    ["DEFAULT", "auth_strategy", "keystone"],
    ...keystoneAuthtokenSettings(ctx, "neutron", "NEUTRON_PASS"),
    ["oslo_concurrency", "lock_path", "/var/lib/neutron/tmp"],
  ];
}

/** How a service logs in to Keystone as a service user of the "service" project (Nova's [neutron], Neutron's [nova]). */
export function serviceUserSettings(ctx: PhaseContext, section: string, user: string, secret: ServiceSecret): IniSetting[] {
  return [
    [section, "auth_url", `http://${ctx.controller.name}:5000`],
    [section, "auth_type", "password"],
    [section, "project_domain_name", "Default"],
    [section, "user_domain_name", "Default"],
    [section, "region_name", ctx.input.options.regionName],
    [section, "project_name", "service"],
    [section, "username", user],
    [section, "password", [{ secret, escape: "oslo" }]],
  ];
}

/** The controller's neutron.conf: the database, ML2 with routers, and Nova told of port changes. */
export function neutronServerSettings(ctx: PhaseContext): IniSetting[] {
  return [
    ["database", "connection", ["mysql+pymysql://neutron:", { secret: "NEUTRON_DBPASS", escape: "dburl" }, "@$SP_CONTROLLER_NAME/neutron"]],
    ["DEFAULT", "core_plugin", "ml2"],
    ["DEFAULT", "service_plugins", "router"],
    ["DEFAULT", "allow_overlapping_ips", "true"],
    ["DEFAULT", "notify_nova_on_port_status_changes", "true"],
    ["DEFAULT", "notify_nova_on_port_data_changes", "true"],
    ...neutronCommonSettings(ctx),
    ...serviceUserSettings(ctx, "nova", "nova", "NOVA_PASS"),
    ...(ctx.facts.neutron.experimentalLinuxbridge ? ([["experimental", "linuxbridge", "true"]] as IniSetting[]) : []),
  ];
}

/** ML2: flat, VLAN and VXLAN type drivers, VXLAN project networks, Linux bridge with l2population, port security. */
export const ML2_SETTINGS: IniSetting[] = [
  ["ml2", "type_drivers", "flat,vlan,vxlan"],
  ["ml2", "tenant_network_types", "vxlan"],
  ["ml2", "mechanism_drivers", "linuxbridge,l2population"],
  ["ml2", "extension_drivers", "port_security"],
  ["ml2_type_flat", "flat_networks", PROVIDER_PHYSNET],
  ["ml2_type_vxlan", "vni_ranges", "1:1000"],
  ["securitygroup", "enable_ipset", "true"],
];

/** The controller's L3, DHCP and metadata agents, as the guide configures them. */
export function controllerAgentConfigs(ctx: PhaseContext): { file: string; settings: IniSetting[] }[] {
  const { neutron } = ctx.facts;
  return [
    { file: neutron.l3Config, settings: [["DEFAULT", "interface_driver", "linuxbridge"]] },
    {
      file: neutron.dhcpConfig,
      settings: [
        ["DEFAULT", "interface_driver", "linuxbridge"],
        ["DEFAULT", "dhcp_driver", "neutron.agent.linux.dhcp.Dnsmasq"],
        ["DEFAULT", "enable_isolated_metadata", "true"],
      ],
    },
    {
      file: neutron.metadataConfig,
      settings: [
        ["DEFAULT", "nova_metadata_host", ctx.controller.name],
        ["DEFAULT", "metadata_proxy_shared_secret", [{ secret: "METADATA_SECRET", escape: "oslo" }]],
      ],
    },
  ];
}

/** Debian's uwsgi for the API: one thread per process (see NeutronFacts.apiUwsgi). */
function apiUwsgiConfig(ctx: PhaseContext): { file: string; settings: IniSetting[] }[] {
  const uwsgi = ctx.facts.neutron.apiUwsgi;
  if (!uwsgi) return [];
  return [{ file: uwsgi.config, settings: [["uwsgi", "threads", "1"], ["uwsgi", "processes", String(uwsgi.processes)]] }];
}

/** Nova's [neutron] section on the controller: the compute API reaches Neutron, and the metadata proxy is trusted. */
export function novaNeutronSettings(ctx: PhaseContext, withMetadataProxy: boolean): IniSetting[] {
  return [
    ...serviceUserSettings(ctx, "neutron", "neutron", "NEUTRON_PASS"),
    ...(withMetadataProxy
      ? ([
          ["neutron", "service_metadata_proxy", "true"],
          ["neutron", "metadata_proxy_shared_secret", [{ secret: "METADATA_SECRET", escape: "oslo" }]],
        ] as IniSetting[])
      : []),
  ];
}

/** Every file the server reads (RDO's through the plugin.ini link), for db-manage and the restart checks. */
function serverConfigFiles(ctx: PhaseContext): string[] {
  const { neutron } = ctx.facts;
  return [neutron.config, neutron.pluginLink ?? neutron.ml2Config];
}

/** Neutron's server on the controller: database, identity, packages, configuration, schema, API on :9696. */
export function neutronPhase(ctx: PhaseContext): Phase {
  const { facts, controller } = ctx;
  const { neutron, nova } = facts;
  const serverSecrets = ["NEUTRON_DBPASS", ...NEUTRON_CONF_SECRETS, "NOVA_PASS", "METADATA_SECRET"] as ServiceSecret[];
  const conf = iniSettings(neutron.config, neutronServerSettings(ctx));
  const ml2 = iniSettings(neutron.ml2Config, ML2_SETTINGS);
  const agents = [...controllerAgentConfigs(ctx), ...apiUwsgiConfig(ctx)].map(({ file, settings }) => iniSettings(file, settings));
  const novaConf = iniSettings(nova.config, novaNeutronSettings(ctx, true));
  const link = neutron.pluginLink;
  const dbManage = `neutron-db-manage ${serverConfigFiles(ctx).map((f) => `--config-file ${f}`).join(" ")} upgrade head`;
  const listening = '(exec 3<>"/dev/tcp/$SP_CONTROLLER_NAME/9696") 2>/dev/null';

  return {
    key: "neutron",
    title: "Networking (Neutron) on the controller",
    steps: (
      [
        openstackDatabaseStep(ctx, "neutron", "NEUTRON_DBPASS"),
        serviceIdentityStep(ctx, "neutron", {
          user: "neutron",
          secret: "NEUTRON_PASS",
          name: "neutron",
          type: "network",
          description: "OpenStack Networking",
          url: `http://${controller.name}:9696`,
        }),
        // Debian's packages start the server and the agents at install time, before their configuration is written.
        { ...installStep(facts, "neutron.install", "Install the Neutron server, ML2 and the Linux bridge, L3, DHCP and metadata agents", neutron.controllerPackages, 1800), services: [...neutron.serverServices] },
        {
          key: "neutron.configure",
          title: "neutron.conf, ML2 (flat provider, VXLAN self-service), the L3, DHCP and metadata agents",
          roles: ["controller"],
          check: allOf([...conf.check, ...ml2.check, ...agents.flatMap((a) => a.check), ...(link ? [`[ "$(readlink ${link})" = ${neutron.ml2Config} ]`] : [])], serverSecrets),
          apply: script([`sp_need ${serverSecrets.join(" ")}`, ...conf.apply, ...ml2.apply, ...agents.flatMap((a) => a.apply), link && `ln -sfn ${neutron.ml2Config} ${link}`], serverSecrets),
          services: [...neutron.serverServices],
          timeoutSeconds: 60,
        },
        {
          key: "neutron.nova",
          title: "nova.conf [neutron] on the controller, with the metadata proxy's secret; Nova's services restarted",
          roles: ["controller"],
          // Every Nova service reads nova.conf, not only the API the guide restarts: Debian's separate
          // metadata API kept the old one and refused the new secret, so guests got no SSH key.
          check: allOf([...novaConf.check, ...nova.controllerServices.map((service) => startedAfter(service, [nova.config]))], ["NEUTRON_PASS", "METADATA_SECRET"]),
          apply: script(["sp_need NEUTRON_PASS METADATA_SECRET", ...novaConf.apply, `systemctl restart ${nova.controllerServices.join(" ")}`], ["NEUTRON_PASS", "METADATA_SECRET"]),
          services: [...nova.controllerServices],
          timeoutSeconds: 120,
        },
        {
          key: "neutron.db-sync",
          title: "neutron-db-manage upgrade head",
          roles: ["controller"],
          check: script([tableExists("neutron", "ml2_port_bindings")], ["MARIADB_ROOT_PASS"]),
          apply: script([asUser(neutron.user, dbManage)]),
          services: [facts.mariadb.service],
          timeoutSeconds: 900,
        },
        {
          key: "neutron.services",
          title: "The Neutron server enabled and started, answering on :9696",
          roles: ["controller"],
          check: allOf([isActive(neutron.serverServices), ...neutron.serverServices.map((s) => startedAfter(s, [neutron.config, neutron.ml2Config, ...(neutron.apiUwsgi ? [neutron.apiUwsgi.config] : [])])), listening]),
          apply: script([enableAndStart(neutron.serverServices), 'sp_wait_port "$SP_CONTROLLER_NAME" 9696 180']),
          verify: script([`. ${ADMIN_OPENRC}`, "openstack extension list --network -f value -c Alias | head -n 5", "openstack network agent list"]),
          ports: [{ port: 9696, on: "controller", fromRoles: ["compute"], label: "Neutron API" }],
          services: [...neutron.serverServices],
          timeoutSeconds: 600,
        },
      ] satisfies Step[]
    ).map(verifiedByCheck),
  };
}
