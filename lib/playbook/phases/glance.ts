import { shellQuote } from "../../shell/quote";
import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, script, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { openstackDatabaseStep } from "./openstackDatabase";

/** Where an image uploaded through the wizard lands on the controller (copied over SFTP). */
export const UPLOADED_IMAGE_DIR = "/root/stackpilot-images";

/** [section, key, value] settings; a value in $(...) is computed on the host from a secret. */
type Setting = [string, string, string];

export function glanceApiSettings(ctx: PhaseContext): Setting[] {
  const { controller, facts } = ctx;
  const store: Setting[] =
    facts.glance.storeStyle === "stores"
      ? [
          ["glance_store", "stores", "file,http"],
          ["glance_store", "default_store", "file"],
          ["glance_store", "filesystem_store_datadir", facts.glance.imagesDir],
        ]
      : [
          ["DEFAULT", "enabled_backends", "fs:file"],
          ["glance_store", "default_backend", "fs"],
          ["fs", "filesystem_store_datadir", facts.glance.imagesDir],
        ];
  return [...commonSettings(ctx), ["keystone_authtoken", "memcached_servers", `${controller.name}:11211`], ...store];
}

/** Database, Keystone middleware and paste flavor: shared by glance-api and (Train) glance-registry. */
function commonSettings({ controller }: PhaseContext): Setting[] {
  return [
    ["database", "connection", `mysql+pymysql://glance:$(printf '%s' "$GLANCE_DBPASS" | sp_escape url)@${controller.name}/glance`],
    ["keystone_authtoken", "www_authenticate_uri", `http://${controller.name}:5000`],
    ["keystone_authtoken", "auth_url", `http://${controller.name}:5000`],
    ["keystone_authtoken", "auth_type", "password"],
    ["keystone_authtoken", "project_domain_name", "Default"],
    ["keystone_authtoken", "user_domain_name", "Default"],
    ["keystone_authtoken", "project_name", "service"],
    ["keystone_authtoken", "username", "glance"],
    // oslo.config reads "$name" as a reference: a literal $ is written $$.
    ["keystone_authtoken", "password", `$(printf '%s' "$GLANCE_PASS" | sp_escape oslo)`],
    ["paste_deploy", "flavor", "keystone"],
  ];
}

/** A double-quoted shell word: plain values are quoted, $(...) computations are left to run. */
function shellValue(value: string): string {
  return value.includes("$(") ? `"${value}"` : shellQuote(value);
}

function settingsScripts(file: string, settings: Setting[]) {
  return {
    check: settings.map(([section, key, value]) => `[ "$(sp_ini_get ${file} ${section} ${key})" = ${shellValue(value)} ]`),
    apply: settings.map(([section, key, value]) => `printf '%s' ${shellValue(value)} | sp_ini_set ${file} ${section} ${key}`),
  };
}

/** Glance: database, identity, packages, configuration, db_sync, the service, the image. */
export function glancePhase(ctx: PhaseContext): Phase {
  const { facts, controller, input } = ctx;
  const { glance } = facts;
  const endpoint = `http://${controller.name}:9292`;
  const region = shellQuote(input.options.regionName);
  const image = shellQuote(input.options.imageName);
  const secrets = ["GLANCE_DBPASS", "GLANCE_PASS"] as const;

  const api = settingsScripts(glance.apiConfig, glanceApiSettings(ctx));
  const registry = glance.registryConfig ? settingsScripts(glance.registryConfig, commonSettings(ctx)) : { check: [], apply: [] };
  const glanceCanLogIn = [
    'OS_USERNAME=glance OS_PASSWORD="$GLANCE_PASS" OS_PROJECT_NAME=service',
    "openstack token issue -f value -c expires >/dev/null 2>&1",
  ].join(" ");
  const endpointExists = (iface: string) => `openstack endpoint list --service image --interface ${iface} --region ${region} -f value -c URL | grep -qx ${shellQuote(endpoint)}`;

  return {
    key: "glance",
    title: "Image service (Glance)",
    steps: [
      openstackDatabaseStep(ctx, "glance", "GLANCE_DBPASS"),
      {
        key: "glance.identity",
        title: "User glance (admin in service), the image service and its three endpoints",
        roles: ["controller"],
        check: allOf(
          [
            `. ${ADMIN_OPENRC}`,
            glanceCanLogIn,
            "openstack role assignment list --user glance --project service --names -f value -c Role | grep -qx admin",
            "openstack service show image >/dev/null 2>&1",
            ...["public", "internal", "admin"].map(endpointExists),
          ],
          ["GLANCE_PASS"],
        ),
        apply: script(
          [
            "sp_need GLANCE_PASS",
            `. ${ADMIN_OPENRC}`,
            // The password reaches the client through its own shell on stdin, not its argv.
            'pw=$(printf "%s" "$GLANCE_PASS" | sp_escape shlex)',
            "if openstack user show glance >/dev/null 2>&1; then",
            '  echo "user set --password $pw glance" | sp_openstack',
            "else",
            '  echo "user create --domain default --password $pw glance" | sp_openstack',
            "fi",
            "openstack role add --project service --user glance admin",
            'openstack service show image >/dev/null 2>&1 || openstack service create --name glance --description "OpenStack Image" image',
            ...["public", "internal", "admin"].map(
              (iface) => `${endpointExists(iface)} || openstack endpoint create --region ${region} image ${iface} ${endpoint}`,
            ),
            glanceCanLogIn,
          ],
          ["GLANCE_PASS"],
        ),
        verify: script([`. ${ADMIN_OPENRC}`, "openstack endpoint list --service image"]),
        timeoutSeconds: 300,
      },
      {
        key: "glance.install",
        title: "Install Glance",
        roles: ["controller"],
        check: script([packagesInstalled(facts, glance.packages)]),
        apply: script([installPackages(facts, glance.packages)]),
        timeoutSeconds: 1200,
      },
      {
        key: "glance.configure",
        title: glance.registryConfig ? "glance-api.conf and glance-registry.conf" : "glance-api.conf",
        roles: ["controller"],
        check: allOf([...api.check, ...registry.check], [...secrets]),
        apply: script([`sp_need ${secrets.join(" ")}`, ...api.apply, ...registry.apply], [...secrets]),
        timeoutSeconds: 60,
      },
      {
        key: "glance.db-sync",
        title: "glance-manage db_sync, the service enabled and started",
        roles: ["controller"],
        check: allOf([
          `[ "$(sp_mysql -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'glance' AND table_name = 'images'")" = 1 ]`,
          `[ "$(stat -c %U ${glance.imagesDir})" = ${glance.user} ]`,
          isActive(glance.services),
          `(exec 3<>/dev/tcp/${controller.name}/9292) 2>/dev/null`,
        ], ["MARIADB_ROOT_PASS"]),
        apply: script([
          `su -s /bin/sh -c "glance-manage db_sync" ${glance.user}`,
          `install -d -o ${glance.user} -g ${glance.user} ${glance.imagesDir}`,
          `chown -R ${glance.user}:${glance.user} ${glance.imagesDir}`,
          enableAndStart(glance.services),
          `sp_wait_port ${controller.name} 9292 90`,
        ], ["MARIADB_ROOT_PASS"]),
        ports: [{ port: 9292, on: "controller", fromRoles: ["compute"], label: "Glance" }],
        timeoutSeconds: 600,
      },
      {
        key: "glance.image",
        title: `Upload the image ${input.options.imageName}`,
        roles: ["controller"],
        check: script([`. ${ADMIN_OPENRC}`, `[ "$(openstack image show -f value -c status ${image} 2>/dev/null)" = active ]`]),
        apply: script([
          `. ${ADMIN_OPENRC}`,
          `file=${UPLOADED_IMAGE_DIR}/${image}`,
          "format=qcow2",
          'if [ ! -s "$file" ]; then',
          // No image uploaded: a tiny empty disk proves the service end to end.
          '  file=$(mktemp --suffix=.qcow2); qemu-img create -q -f qcow2 "$file" 16M',
          "fi",
          `openstack image show ${image} >/dev/null 2>&1 && openstack image delete ${image}`,
          `openstack image create --file "$file" --disk-format "$format" --container-format bare --public ${image}`,
        ]),
        verify: script([`. ${ADMIN_OPENRC}`, "openstack image list", `[ "$(openstack image show -f value -c status ${image})" = active ]`]),
        timeoutSeconds: 600,
      },
    ],
  };
}
