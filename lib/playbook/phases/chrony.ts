import { shellQuote } from "../../shell/quote";
import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, script, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";

export const CHRONY_CRON_LINE = "*/30 * * * * /usr/bin/chronyc sources >> /var/log/chronyc.log";

/** Time: the controller from the upstream server (serving the management network), computes from it. */
export function chronyPhase({ facts, input, controller }: PhaseContext): Phase {
  const { chrony } = facts;
  const common = ["driftfile /var/lib/chrony/drift", "makestep 1.0 3", "rtcsync", "logdir /var/log/chrony"];
  const controllerConf = [
    `server ${input.options.ntpServer} iburst`,
    `allow ${input.options.managementCidr}`,
    // Keeps serving the computes when the upstream server cannot be reached (closed networks, labs).
    "local stratum 10",
    ...common,
  ].join("\n");
  const computeConf = [`server ${controller.name} iburst`, ...common].join("\n");

  /** `source`: what `chronyc -n sources` must show (a grep pattern). */
  const configure = (key: string, title: string, roles: Step["roles"], conf: string, source: string): Step => ({
    key,
    title,
    roles,
    check: allOf([
      packagesInstalled(facts, chrony.packages),
      `[ "$(cat ${chrony.config})" = ${shellQuote(conf)} ]`,
      isActive([chrony.service]),
    ]),
    apply: script([
      installPackages(facts, chrony.packages),
      `printf '%s\\n' ${shellQuote(conf)} > ${chrony.config}`,
      enableAndStart([chrony.service]),
    ]),
    verify: script([
      // chronyc answers once chronyd is up; the source must be the one configured.
      "for i in $(seq 1 20); do chronyc sources >/dev/null 2>&1 && break; sleep 1; done",
      "chronyc sources",
      `chronyc -n sources | grep -q -- ${shellQuote(source)}`,
    ]),
    timeoutSeconds: 600,
  });

  return {
    key: "chrony",
    title: "Time synchronisation (chrony)",
    steps: [
      configure("chrony.controller", "Controller syncs from the upstream server", ["controller"], controllerConf, "^\\^"),
      configure("chrony.computes", "Computes sync from the controller", ["compute"], computeConf, ` ${controller.managementIp} `),
      {
        key: "chrony.cron",
        title: "Log chronyc sources every half hour",
        roles: ["controller", "compute"],
        check: script([`crontab -l 2>/dev/null | grep -qxF ${shellQuote(CHRONY_CRON_LINE)}`]),
        apply: script([`{ crontab -l 2>/dev/null || true; echo ${shellQuote(CHRONY_CRON_LINE)}; } | crontab -`]),
        timeoutSeconds: 30,
      },
    ],
  };
}
