import { installStep } from "../packages";
import { allOf, asUser, enableAndStart, iniSettings, isActive, printLines, script, startedAfter, verifiedByCheck, type IniSetting, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";
import { ADMIN_OPENRC } from "./keystone";
import { openstackDatabaseStep, tableExists } from "./openstackDatabase";
import { keystoneAuthtokenSettings, serviceIdentityStep } from "./serviceIdentity";

/**
 * What RDO Train's 00-placement-api.conf lacks: httpd 2.4 refuses the WSGI script in /usr/bin
 * (every request answers 403) until the directory is granted.
 */
export const PLACEMENT_USR_BIN_GRANT = [
  "<Directory /usr/bin>",
  "   <IfVersion >= 2.4>",
  "      Require all granted",
  "   </IfVersion>",
  "   <IfVersion < 2.4>",
  "      Order allow,deny",
  "      Allow from all",
  "   </IfVersion>",
  "</Directory>",
].join("\n");

/** Both status tools exit 1 for warnings, 2 for a failed check: a warning is shown, not fatal. */
export function statusCheck(command: string): string {
  return `rc=0; ${command} || rc=$?; [ "$rc" -le 1 ]`;
}

export function placementSettings(ctx: PhaseContext): IniSetting[] {
  return [
    ["placement_database", "connection", ["mysql+pymysql://placement:", { secret: "PLACEMENT_DBPASS", escape: "dburl" }, "@$SP_CONTROLLER_NAME/placement"]],
    ["api", "auth_strategy", "keystone"],
    ...keystoneAuthtokenSettings(ctx, "placement", "PLACEMENT_PASS", `http://${ctx.controller.name}:5000/v3`),
  ];
}

/** Placement on the controller: database, identity, packages, placement.conf, db sync, served on :8778. */
export function placementPhase(ctx: PhaseContext): Phase {
  const { facts, controller } = ctx;
  const { placement } = facts;
  const secrets = ["PLACEMENT_DBPASS", "PLACEMENT_PASS"] as const;
  const conf = iniSettings(placement.config, placementSettings(ctx));
  const listening = '(exec 3<>"/dev/tcp/$SP_CONTROLLER_NAME/8778") 2>/dev/null';
  // Both web servers read placement.conf at start (httpd's site too): running since before it changed means a restart.
  const site = placement.web === "httpd" ? placement.siteConfig : null;
  const configFiles = site ? [placement.config, site] : [placement.config];
  const grantPresent = site ? `grep -qxF '<Directory /usr/bin>' ${site}` : null;

  const web: Step = {
    key: "placement.web",
    title: placement.web === "httpd" ? "httpd serving Placement on :8778 (Train's /usr/bin grant)" : "Placement under uwsgi on :8778",
    roles: ["controller"],
    check: allOf([...(grantPresent ? [grantPresent] : []), isActive([placement.service]), startedAfter(placement.service, configFiles), listening]),
    apply: script([
      grantPresent && `${grantPresent} || ${printLines(PLACEMENT_USR_BIN_GRANT)} >> ${site}`,
      enableAndStart([placement.service]),
      'sp_wait_port "$SP_CONTROLLER_NAME" 8778 90',
    ]),
    // The guide's check: the database is current and the API answers.
    verify: script([`. ${ADMIN_OPENRC}`, statusCheck("placement-status upgrade check")]),
    ports: [{ port: 8778, on: "controller", fromRoles: ["compute"], label: "Placement" }],
    services: [placement.service],
    timeoutSeconds: 300,
  };

  return {
    key: "placement",
    title: "Placement",
    steps: (
      [
        openstackDatabaseStep(ctx, "placement", "PLACEMENT_DBPASS"),
        serviceIdentityStep(ctx, "placement", {
          user: "placement",
          secret: "PLACEMENT_PASS",
          name: "placement",
          type: "placement",
          description: "Placement API",
          url: `http://${controller.name}:8778`,
        }),
        // Debian's package starts placement-api at install time, before placement.conf is written.
        { ...installStep(facts, "placement.install", "Install Placement and the client's placement commands", [...placement.packages, ...placement.clientPackages], 1200), services: [placement.service] },
        {
          key: "placement.configure",
          title: "placement.conf: database, Keystone",
          roles: ["controller"],
          check: allOf(conf.check, [...secrets]),
          apply: script([`sp_need ${secrets.join(" ")}`, ...conf.apply], [...secrets]),
          services: [placement.service],
          timeoutSeconds: 60,
        },
        {
          key: "placement.db-sync",
          title: "placement-manage db sync",
          roles: ["controller"],
          check: script([tableExists("placement", "resource_providers")], ["MARIADB_ROOT_PASS"]),
          apply: script([asUser(placement.user, "placement-manage db sync")]),
          services: [facts.mariadb.service],
          timeoutSeconds: 600,
        },
        web,
      ] satisfies Step[]
    ).map(verifiedByCheck),
  };
}
