import { shellQuote } from "../../shell/quote";
import { installStep } from "../packages";
import type { ProfileName } from "../../plan/profiles";
import { allOf, enableAndStart, iniSettings, isActive, script, startedAfter, type IniSetting, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";
import { openstackDatabaseStep } from "./openstackDatabase";

export const ADMIN_OPENRC = "/root/admin-openrc";

/** The tutorial's `openstack token issue` without the token itself: a token is a credential, and this output is logged. */
export const TOKEN_ISSUE = "openstack token issue -c expires -c project_id -c user_id";

/** The admin-openrc the tutorial writes, with the password read from ADMIN_PASS at write time. */
export function adminOpenrcScript(controllerName: string): string {
  return [
    "{",
    "  echo 'export OS_USERNAME=admin'",
    "  printf 'export OS_PASSWORD=%q\\n' \"$ADMIN_PASS\"",
    "  echo 'export OS_PROJECT_NAME=admin'",
    "  echo 'export OS_USER_DOMAIN_NAME=Default'",
    "  echo 'export OS_PROJECT_DOMAIN_NAME=Default'",
    // %q: the file is sourced, so its values are shell words (the same text for a valid host name).
    `  printf 'export OS_AUTH_URL=%q\\n' ${shellQuote(`http://${controllerName}:5000/v3`)}`,
    "  echo 'export OS_IDENTITY_API_VERSION=3'",
    "  echo 'export OS_IMAGE_API_VERSION=2'",
    "}",
  ].join("\n");
}

/**
 * Where keystone.conf keeps the database password. Zed's db_sync hands [database] connection to
 * alembic's ConfigParser, which rejects the "%" of an escaped password; oslo.db appends
 * connection_parameters to the URL only when it connects. Train keeps the tutorial's URL.
 */
const PASSWORD_IN_CONNECTION_PARAMETERS: Record<ProfileName, boolean> = { "centos7-train": false, "debian12-zed": true };

export function keystoneSettings({ controller, input }: PhaseContext): IniSetting[] {
  const password = { secret: "KEYSTONE_DBPASS", escape: "dburl" } as const;
  const database: IniSetting[] = PASSWORD_IN_CONNECTION_PARAMETERS[input.profile]
    ? [
        ["database", "connection", `mysql+pymysql://keystone@${controller.name}/keystone`],
        ["database", "connection_parameters", ["password=", password]],
      ]
    : [["database", "connection", ["mysql+pymysql://keystone:", password, "@$SP_CONTROLLER_NAME/keystone"]]];
  return [...database, ["token", "provider", "fernet"]];
}

/** Keystone: database, packages, fernet tokens, bootstrap, the web server, admin-openrc, service project. */
export function keystonePhase(ctx: PhaseContext): Phase {
  const { facts, controller, input } = ctx;
  const { keystone } = facts;
  const conf = keystone.config;
  const url = `http://${controller.name}:5000/v3/`;
  const asKeystone = (command: string) => `su -s /bin/sh -c ${shellQuote(command)} ${keystone.user}`;
  const settings = iniSettings(conf, keystoneSettings(ctx));
  // admin-openrc's credentials get a token and the catalog has the three identity endpoints.
  const identityEndpoints = ["public", "internal", "admin"].map((iface) => `endpoint identity ${iface} ${shellQuote(input.options.regionName)} ${shellQuote(url)}`);
  const bootstrapped = `. ${ADMIN_OPENRC} && sp_os_has ${identityEndpoints.join(" ")}`;
  const tokenWorks = `. ${ADMIN_OPENRC} && openstack token issue -f value -c expires >/dev/null 2>&1`;
  // The web server reads these at start: running since before they changed means a restart.
  const runsCurrentConfig = startedAfter(keystone.service, [conf, "/etc/keystone/fernet-keys", "/etc/keystone/credential-keys"]);

  const serverName = shellQuote(`ServerName ${controller.name}`);
  const web: Step =
    keystone.web === "httpd-mod-wsgi"
      ? {
          key: "keystone.web",
          title: "Apache with mod_wsgi serving Keystone on :5000",
          roles: ["controller"],
          check: allOf([`grep -qxF ${serverName} ${keystone.httpdConfig}`, `[ -e ${keystone.wsgiConfigTarget} ]`, isActive([keystone.service]), runsCurrentConfig]),
          apply: script([
            // Host names have no / or &, so the line is safe in sed's replacement.
            `line=${serverName}`,
            `if grep -q '^ServerName ' ${keystone.httpdConfig}; then sed -i "s/^ServerName .*/$line/" ${keystone.httpdConfig}; else echo "$line" >> ${keystone.httpdConfig}; fi`,
            `ln -sf ${keystone.wsgiConfigSource} ${keystone.wsgiConfigTarget}`,
            enableAndStart([keystone.service]),
            'sp_wait_port "$SP_CONTROLLER_NAME" 5000 60',
          ]),
          ports: [{ port: 5000, on: "controller", fromRoles: ["compute"], label: "Keystone" }],
          services: [keystone.service],
          timeoutSeconds: 180,
        }
      : {
          key: "keystone.web",
          title: "Keystone under uwsgi on :5000",
          roles: ["controller"],
          // Debian's package starts it at install time, before keystone.conf is written.
          check: allOf([isActive([keystone.service]), runsCurrentConfig, '(exec 3<>"/dev/tcp/$SP_CONTROLLER_NAME/5000") 2>/dev/null']),
          apply: script([enableAndStart([keystone.service]), 'sp_wait_port "$SP_CONTROLLER_NAME" 5000 90']),
          ports: [{ port: 5000, on: "controller", fromRoles: ["compute"], label: "Keystone" }],
          services: [keystone.service],
          timeoutSeconds: 180,
        };

  return {
    key: "keystone",
    title: "Identity (Keystone)",
    steps: [
      openstackDatabaseStep(ctx, "keystone", "KEYSTONE_DBPASS"),
      // Debian's package starts Keystone at install time.
      { ...installStep(facts, "keystone.install", "Install Keystone", keystone.packages, 1200), services: [keystone.service] },
      {
        key: "keystone.configure",
        title: "keystone.conf: database connection, fernet tokens",
        roles: ["controller"],
        check: allOf(settings.check, ["KEYSTONE_DBPASS"]),
        apply: script(["sp_need KEYSTONE_DBPASS", ...settings.apply], ["KEYSTONE_DBPASS"]),
        services: [keystone.service],
        timeoutSeconds: 60,
      },
      {
        key: "keystone.db-sync",
        title: "keystone-manage db_sync",
        roles: ["controller"],
        check: script([asKeystone("keystone-manage db_sync --check") + " >/dev/null 2>&1"]),
        apply: script([asKeystone("keystone-manage db_sync")]),
        // db_sync fails on the database side: a wrong KEYSTONE_DBPASS, a stopped MariaDB.
        services: [facts.mariadb.service],
        timeoutSeconds: 600,
      },
      {
        key: "keystone.fernet",
        title: "Fernet and credential keys",
        roles: ["controller"],
        check: script(["[ -s /etc/keystone/fernet-keys/0 ] && [ -s /etc/keystone/credential-keys/0 ]"]),
        apply: script([
          `keystone-manage fernet_setup --keystone-user ${keystone.user} --keystone-group ${keystone.user}`,
          `keystone-manage credential_setup --keystone-user ${keystone.user} --keystone-group ${keystone.user}`,
        ]),
        timeoutSeconds: 120,
      },
      web,
      {
        key: "keystone.openrc",
        title: `${ADMIN_OPENRC} for the admin user`,
        roles: ["controller"],
        check: script(["sp_need ADMIN_PASS", `${adminOpenrcScript(controller.name)} | cmp -s - ${ADMIN_OPENRC}`], ["ADMIN_PASS"]),
        apply: script(["sp_need ADMIN_PASS", `${adminOpenrcScript(controller.name)} | sp_write ${ADMIN_OPENRC} 600 || true`], ["ADMIN_PASS"]),
        timeoutSeconds: 30,
      },
      {
        key: "keystone.bootstrap",
        title: `keystone-manage bootstrap: admin, endpoints in ${input.options.regionName}`,
        roles: ["controller"],
        check: script([bootstrapped], ["ADMIN_PASS"]),
        apply: script(
          [
            "sp_need ADMIN_PASS",
            // The password travels in the environment keystone-manage reads, not as --bootstrap-password.
            [
              "OS_BOOTSTRAP_PASSWORD=\"$ADMIN_PASS\" keystone-manage bootstrap",
              `--bootstrap-admin-url ${shellQuote(url)}`,
              `--bootstrap-internal-url ${shellQuote(url)}`,
              `--bootstrap-public-url ${shellQuote(url)}`,
              `--bootstrap-region-id ${shellQuote(input.options.regionName)}`,
            ].join(" "),
            'sp_wait_port "$SP_CONTROLLER_NAME" 5000 60',
            `for i in $(seq 1 30); do (${tokenWorks}) && break; sleep 2; done`,
          ],
          ["ADMIN_PASS"],
        ),
        verify: script([`. ${ADMIN_OPENRC}`, TOKEN_ISSUE], ["ADMIN_PASS"]),
        services: [keystone.service],
        timeoutSeconds: 300,
      },
      {
        key: "keystone.service-project",
        title: "The service project and the user role",
        roles: ["controller"],
        check: script([`. ${ADMIN_OPENRC}`, "sp_os_has project service role user"]),
        apply: script([
          `. ${ADMIN_OPENRC}`,
          'sp_os_has project service || openstack project create --domain default --description "Service Project" service',
          "sp_os_has role user || openstack role create user",
        ]),
        verify: script([`. ${ADMIN_OPENRC}`, TOKEN_ISSUE, "openstack role list"]),
        services: [keystone.service],
        timeoutSeconds: 180,
      },
    ],
  };
}
