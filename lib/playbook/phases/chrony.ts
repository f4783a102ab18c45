import { shellQuote } from "../../shell/quote";
import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, printLines, script, textWord, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";

export const CHRONY_CRON_LINE = "*/30 * * * * /usr/bin/chronyc sources >> /var/log/chronyc.log";

const NO_CLOCK_DROPIN = "stackpilot-no-clock.conf";

/**
 * A host that may not set the clock (a container without CAP_SYS_TIME) still serves and reports
 * time: chronyd runs with -x, and the unit's ConditionCapability (Debian's) no longer skips it.
 * Hosts that can set the clock keep the packaged unit.
 */
function noClockOverride(service: string): string {
  const dir = `/etc/systemd/system/${service}.service.d`;
  return [
    // CAP_SYS_TIME is bit 25 of the service manager's bounding set.
    `if (( (0x$(awk '/^CapBnd:/ {print $2}' /proc/1/status) >> 25 & 1) == 0 )); then`,
    `  unit=$(systemctl show -p FragmentPath ${service} | cut -d= -f2-)`,
    `  exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | tail -n 1)`,
    `  install -d ${dir}`,
    `  printf '%s\\n' '[Unit]' 'ConditionCapability=' '[Service]' 'ExecStart=' "ExecStart=$exec_start -x" > ${dir}/${NO_CLOCK_DROPIN}`,
    "  systemctl daemon-reload",
    `elif [ -e ${dir}/${NO_CLOCK_DROPIN} ]; then`,
    `  rm -f ${dir}/${NO_CLOCK_DROPIN}; systemctl daemon-reload`,
    "fi",
  ].join("\n");
}

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

  /**
   * `source`: what `chronyc -n sources` must show (a grep pattern); `missing`, when set, makes a
   * missing source a warning with that text instead of a failure.
   */
  const configure = (key: string, title: string, roles: Step["roles"], conf: string, source: string, missing?: string): Step => ({
    key,
    title,
    roles,
    check: allOf([
      packagesInstalled(facts, chrony.packages),
      `[ "$(cat ${chrony.config})" = ${textWord(conf)} ]`,
      isActive([chrony.service]),
    ]),
    apply: script([
      installPackages(facts, chrony.packages),
      `${printLines(conf)} > ${chrony.config}`,
      noClockOverride(chrony.service),
      enableAndStart([chrony.service]),
    ]),
    verify: script([
      // chronyc answers once chronyd is up; the source must be the one configured.
      "for i in $(seq 1 20); do chronyc sources >/dev/null 2>&1 && break; sleep 1; done",
      "chronyc sources",
      missing
        ? `chronyc -n sources | grep -q -- ${shellQuote(source)} || echo ${shellQuote(missing)}`
        : `chronyc -n sources | grep -q -- ${shellQuote(source)}`,
      // chronyd answers with its own clock's state (served to the computes either way).
      "chronyc tracking >/dev/null",
    ]),
    services: [chrony.service],
    timeoutSeconds: 600,
  });

  return {
    key: "chrony",
    title: "Time synchronisation (chrony)",
    steps: [
      // A closed network (the lab) has no upstream, or cannot even resolve its name: the
      // controller still serves its own clock (local stratum 10), so that is a warning.
      configure(
        "chrony.controller",
        "Controller syncs from the upstream server",
        ["controller"],
        controllerConf,
        "^\\^",
        `Warning: ${input.options.ntpServer} is not a time source here (unreachable, or its name does not resolve); ${controller.name} serves its own clock to the computes (local stratum 10).`,
      ),
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
