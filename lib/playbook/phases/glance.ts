import { guestImageStep, guestImageUnsupportedReason } from "../guestImage";
import { shellQuote } from "../../shell/quote";
import { installStep } from "../packages";
import { allOf, asUser, enableAndStart, iniSettings, isActive, script, startedAfter, type IniSetting, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { openstackDatabaseStep, tableExists } from "./openstackDatabase";
import { keystoneAuthtokenSettings, serviceIdentityStep } from "./serviceIdentity";

/** Where an image uploaded through the wizard lands on the controller (copied over SFTP). */
export const UPLOADED_IMAGE_DIR = "/root/stackpilot-images";

export function glanceApiSettings(ctx: PhaseContext): IniSetting[] {
  const { facts } = ctx;
  const store: IniSetting[] =
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
  return [...commonSettings(ctx), ...store];
}

/** Database, Keystone middleware and paste flavor: shared by glance-api and (Train) glance-registry. */
function commonSettings(ctx: PhaseContext): IniSetting[] {
  return [
    ["database", "connection", ["mysql+pymysql://glance:", { secret: "GLANCE_DBPASS", escape: "dburl" }, "@$SP_CONTROLLER_NAME/glance"]],
    ...keystoneAuthtokenSettings(ctx, "glance", "GLANCE_PASS"),
    ["paste_deploy", "flavor", "keystone"],
  ];
}

/**
 * The compute scope boots VMs: with no image of the user's, the controller builds a bootable
 * guest from its distribution's packages instead of the tutorial's empty test disk.
 */
export function buildsGuest({ input, facts }: PhaseContext): boolean {
  return input.scope === "compute" && !input.uploadedImage && guestImageUnsupportedReason(facts) === null;
}

/** Glance: database, identity, packages, configuration, db_sync, the service, the image. */
export function glancePhase(ctx: PhaseContext): Phase {
  const { facts, controller, input } = ctx;
  const { glance } = facts;
  const image = shellQuote(input.options.imageName);
  const uploaded = input.uploadedImage;
  const secrets = ["GLANCE_DBPASS", "GLANCE_PASS"] as const;

  const api = iniSettings(glance.apiConfig, glanceApiSettings(ctx));
  const registry = glance.registryConfig ? iniSettings(glance.registryConfig, commonSettings(ctx)) : { check: [], apply: [] };

  return {
    key: "glance",
    title: "Image service (Glance)",
    steps: [
      openstackDatabaseStep(ctx, "glance", "GLANCE_DBPASS"),
      serviceIdentityStep(ctx, "glance", {
        user: "glance",
        secret: "GLANCE_PASS",
        name: "glance",
        type: "image",
        description: "OpenStack Image",
        url: `http://${controller.name}:9292`,
      }),
      { ...installStep(facts, "glance.install", "Install Glance", glance.packages, 1200), services: [...glance.services] },
      {
        key: "glance.configure",
        title: glance.registryConfig ? "glance-api.conf and glance-registry.conf" : "glance-api.conf",
        roles: ["controller"],
        check: allOf([...api.check, ...registry.check], [...secrets]),
        apply: script([`sp_need ${secrets.join(" ")}`, ...api.apply, ...registry.apply], [...secrets]),
        services: [...glance.services],
        timeoutSeconds: 60,
      },
      {
        key: "glance.db-sync",
        title: "glance-manage db_sync, the service enabled and started",
        roles: ["controller"],
        check: allOf([
          tableExists("glance", "images"),
          `[ "$(stat -c %U ${glance.imagesDir})" = ${glance.user} ]`,
          isActive(glance.services),
          // Debian's package starts glance-api at install time, before its configuration is written.
          ...glance.services.map((service) => startedAfter(service, [glance.apiConfig, glance.registryConfig].filter((f): f is string => f !== null))),
          '(exec 3<>"/dev/tcp/$SP_CONTROLLER_NAME/9292") 2>/dev/null',
        ], ["MARIADB_ROOT_PASS"]),
        apply: script([
          asUser(glance.user, "glance-manage db_sync"),
          `install -d -o ${glance.user} -g ${glance.user} ${glance.imagesDir}`,
          // The whole state directory, not only the images: -h changes a link itself, never what it points to.
          `chown -hR ${glance.user}:${glance.user} ${glance.stateDir}`,
          enableAndStart(glance.services),
          'sp_wait_port "$SP_CONTROLLER_NAME" 9292 90',
        ], ["MARIADB_ROOT_PASS"]),
        ports: [{ port: 9292, on: "controller", fromRoles: ["compute"], label: "Glance" }],
        services: [...glance.services, facts.mariadb.service],
        timeoutSeconds: 600,
      },
      buildsGuest(ctx) ? guestImageStep(ctx) : {
        key: "glance.image",
        title: `Upload the image ${input.options.imageName}`,
        roles: ["controller"],
        ...(uploaded ? { upload: { source: "plan-image", target: `${UPLOADED_IMAGE_DIR}/${input.options.imageName}` } as const } : {}),
        check: script([
          `. ${ADMIN_OPENRC}`,
          `[ "$(openstack image show -f value -c status ${image} 2>/dev/null)" = active ]`,
          // Another file uploaded since: registered again. Glance keeps no SHA-256 of its own, so the image carries one.
          ...(uploaded ? [`openstack image show -f value -c properties ${image} | grep -qF ${shellQuote(uploaded.sha256)}`] : []),
        ]),
        apply: script([
          `. ${ADMIN_OPENRC}`,
          `file=${UPLOADED_IMAGE_DIR}/${image}`,
          `format=${shellQuote(uploaded?.diskFormat ?? "qcow2")}`,
          ...(uploaded
            ? [`[ -s "$file" ] || { echo "$file is missing: the upload before this step did not arrive." >&2; exit 1; }`]
            : [
                'if [ ! -s "$file" ]; then',
                // No image uploaded: a tiny empty disk proves the service end to end.
                '  file=$(mktemp --suffix=.qcow2); qemu-img create -q -f qcow2 "$file" 16M',
                "fi",
              ]),
          `openstack image show ${image} >/dev/null 2>&1 && openstack image delete ${image}`,
          `openstack image create --file "$file" --disk-format "$format" --container-format bare --public ${uploaded ? `--property stackpilot_sha256=${shellQuote(uploaded.sha256)} ` : ""}${image}`,
        ]),
        verify: script([`. ${ADMIN_OPENRC}`, "openstack image list", `[ "$(openstack image show -f value -c status ${image})" = active ]`]),
        services: [...glance.services],
        timeoutSeconds: 600,
      },
    ],
  };
}
