import { installStep } from "../packages";
import { allOf, asUser, enableAndStart, iniSettings, isActive, script, startedAfter, verifiedByCheck, type IniSetting, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { openstackDatabaseStep, tableExists } from "./openstackDatabase";
import { keystoneAuthtokenSettings, serviceIdentityStep } from "./serviceIdentity";

/** The secrets nova.conf holds, on the controller and on every compute. */
export const NOVA_CONF_SECRETS = ["RABBIT_PASS", "NOVA_PASS", "PLACEMENT_PASS"] as const;

/** The controller's Nova ports: the compute API, the metadata API, the noVNC console proxy. */
const NOVA_PORTS = [
  { port: 8774, label: "Nova API" },
  { port: 8775, label: "Nova metadata API" },
  { port: 6080, label: "noVNC console proxy" },
];

const CELL0_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * What nova.conf says on every Nova host, as the guide writes it: the message queue, this host's
 * own management IP ($SP_HOST_IP), Keystone, Glance, the lock path and Placement.
 */
export function novaCommonSettings(ctx: PhaseContext): IniSetting[] {
  const { controller, facts, input } = ctx;
  const keystone = `http://${controller.name}:5000`;
  return [
    // A password in a URL: percent-escaped, so no "$" is left for oslo.config to read as a reference.
    ["DEFAULT", "transport_url", ["rabbit://openstack:", { secret: "RABBIT_PASS", escape: "url" }, "@$SP_CONTROLLER_NAME:5672/"]],
    ["DEFAULT", "my_ip", ["$SP_HOST_IP"]],
    ...(facts.nova.legacyNetworkOptions
      ? ([
          ["DEFAULT", "use_neutron", "true"],
          ["DEFAULT", "firewall_driver", "nova.virt.firewall.NoopFirewallDriver"],
        ] as IniSetting[])
      : []),
    ["api", "auth_strategy", "keystone"],
    ...keystoneAuthtokenSettings(ctx, "nova", "NOVA_PASS", `${keystone}/`),
    ...(facts.nova.serviceUserToken
      ? ([
          ["service_user", "send_service_user_token", "true"],
          ["service_user", "auth_url", `${keystone}/v3`],
          ["service_user", "auth_type", "password"],
          ["service_user", "project_domain_name", "Default"],
          ["service_user", "project_name", "service"],
          ["service_user", "user_domain_name", "Default"],
          ["service_user", "username", "nova"],
          ["service_user", "password", [{ secret: "NOVA_PASS", escape: "oslo" }]],
        ] as IniSetting[])
      : []),
    ["vnc", "enabled", "true"],
    ["glance", "api_servers", `http://${controller.name}:9292`],
    ["oslo_concurrency", "lock_path", "/var/lib/nova/tmp"],
    ["placement", "region_name", input.options.regionName],
    ["placement", "project_domain_name", "Default"],
    ["placement", "project_name", "service"],
    ["placement", "auth_type", "password"],
    ["placement", "user_domain_name", "Default"],
    ["placement", "auth_url", `${keystone}/v3`],
    ["placement", "username", "placement"],
    ["placement", "password", [{ secret: "PLACEMENT_PASS", escape: "oslo" }]],
  ];
}

/** The controller's nova.conf: the common part, the APIs and their databases, VNC on its own address. */
export function novaControllerSettings(ctx: PhaseContext): IniSetting[] {
  const database = (name: string): IniSetting[2] => ["mysql+pymysql://nova:", { secret: "NOVA_DBPASS", escape: "dburl" }, `@$SP_CONTROLLER_NAME/${name}`];
  return [
    ["DEFAULT", "enabled_apis", "osapi_compute,metadata"],
    ["api_database", "connection", database("nova_api")],
    ["database", "connection", database("nova")],
    ...novaCommonSettings(ctx),
    // "$my_ip" is oslo.config's own reference to [DEFAULT] my_ip.
    ["vnc", "server_listen", "$my_ip"],
    ["vnc", "server_proxyclient_address", "$my_ip"],
  ];
}

/** A check: nova_api has a cell mapping matching the SQL condition. */
function cellMapped(condition: string): string {
  return `[ "$(sp_mysql -N -e "SELECT COUNT(*) FROM nova_api.cell_mappings WHERE ${condition}")" -ge 1 ]`;
}

/** Nova on the controller: databases, identity, packages, nova.conf, the cells, the services. */
export function novaPhase(ctx: PhaseContext): Phase {
  const { facts, controller } = ctx;
  const { nova } = facts;
  const secrets = ["NOVA_DBPASS", ...NOVA_CONF_SECRETS] as const;
  const conf = iniSettings(nova.config, novaControllerSettings(ctx));
  const proxy = nova.consoleProxy;
  const novnc = "NOVA_CONSOLE_PROXY_TYPE=novnc";
  const manage = (command: string) => asUser(nova.user, `nova-manage ${command}`);
  const configFiles = [nova.config, ...(proxy ? [proxy.defaults] : [])];

  return {
    key: "nova",
    title: "Compute (Nova) on the controller",
    steps: (
      [
        openstackDatabaseStep(ctx, "nova", "NOVA_DBPASS", ["nova_api", "nova", "nova_cell0"]),
        serviceIdentityStep(ctx, "nova", {
          user: "nova",
          secret: "NOVA_PASS",
          name: "nova",
          type: "compute",
          description: "OpenStack Compute",
          url: `http://${controller.name}:8774/v2.1`,
        }),
        // Debian's packages start the API at install time, before nova.conf is written.
        { ...installStep(facts, "nova.install", "Install the Nova API, conductor, scheduler and console proxy", nova.controllerPackages, 1800), services: [...nova.controllerServices] },
        {
          key: "nova.configure",
          title: proxy ? "nova.conf, and noVNC as the console proxy" : "nova.conf",
          roles: ["controller"],
          check: allOf([...conf.check, ...(proxy ? [`grep -qx ${novnc} ${proxy.defaults}`, `! systemctl is-active --quiet ${proxy.startedAtInstall}`] : [])], [...secrets]),
          apply: script(
            [
              `sp_need ${secrets.join(" ")}`,
              ...conf.apply,
              // The package's default starts the spice proxy; its debconf answer is kept for upgrades too.
              proxy && "echo 'nova-consoleproxy nova-consoleproxy/daemon_type select novnc' | debconf-set-selections",
              proxy && `if grep -q '^NOVA_CONSOLE_PROXY_TYPE=' ${proxy.defaults}; then sed -i 's/^NOVA_CONSOLE_PROXY_TYPE=.*/${novnc}/' ${proxy.defaults}; else echo ${novnc} >> ${proxy.defaults}; fi`,
              // The spice proxy the install started (port 6082) is not the guide's: stopped, it stays stopped.
              proxy && `systemctl stop ${proxy.startedAtInstall}`,
            ],
            [...secrets],
          ),
          services: [...nova.controllerServices],
          timeoutSeconds: 60,
        },
        {
          key: "nova.api-db-sync",
          title: "nova-manage api_db sync",
          roles: ["controller"],
          check: script([tableExists("nova_api", "cell_mappings")], ["MARIADB_ROOT_PASS"]),
          apply: script([manage("api_db sync")]),
          services: [facts.mariadb.service],
          timeoutSeconds: 600,
        },
        {
          key: "nova.cell0",
          title: "nova-manage cell_v2 map_cell0",
          roles: ["controller"],
          check: script([cellMapped(`uuid = '${CELL0_UUID}'`)], ["MARIADB_ROOT_PASS"]),
          apply: script([manage("cell_v2 map_cell0")]),
          services: [facts.mariadb.service],
          timeoutSeconds: 300,
        },
        {
          key: "nova.cell1",
          title: "nova-manage cell_v2 create_cell --name=cell1",
          roles: ["controller"],
          // Not idempotent itself: a second create_cell with the same URLs fails.
          check: script([cellMapped("name = 'cell1'")], ["MARIADB_ROOT_PASS"]),
          apply: script([manage("cell_v2 create_cell --name=cell1 --verbose")]),
          services: [facts.mariadb.service, facts.rabbitmq.service],
          timeoutSeconds: 300,
        },
        {
          key: "nova.db-sync",
          title: "nova-manage db sync, then list_cells",
          roles: ["controller"],
          check: allOf([tableExists("nova", "instances"), tableExists("nova_cell0", "instances")], ["MARIADB_ROOT_PASS"]),
          apply: script([manage("db sync")]),
          // list_cells masks the passwords in the URLs it shows (--verbose would not).
          verify: script([`cells=$(${manage("cell_v2 list_cells")})`, 'printf \'%s\\n\' "$cells"', `printf '%s\\n' "$cells" | grep -qw cell0`, `printf '%s\\n' "$cells" | grep -qw cell1`]),
          services: [facts.mariadb.service],
          timeoutSeconds: 900,
        },
        {
          key: "nova.services",
          title: "The API, scheduler, conductor and noVNC proxy enabled and started",
          roles: ["controller"],
          check: allOf([
            isActive(nova.controllerServices),
            ...nova.controllerServices.map((service) => startedAfter(service, configFiles)),
            ...NOVA_PORTS.map(({ port }) => `(exec 3<>"/dev/tcp/$SP_CONTROLLER_NAME/${port}") 2>/dev/null`),
          ]),
          apply: script([enableAndStart(nova.controllerServices), ...NOVA_PORTS.map(({ port }) => `sp_wait_port "$SP_CONTROLLER_NAME" ${port} 120`)]),
          verify: script([`. ${ADMIN_OPENRC}`, "openstack compute service list"]),
          ports: NOVA_PORTS.map(({ port, label }) => ({ port, on: "controller", fromRoles: ["compute"], label })),
          services: [...nova.controllerServices],
          timeoutSeconds: 600,
        },
      ] satisfies Step[]
    ).map(verifiedByCheck),
  };
}
