import { shellQuote } from "../../shell/quote";
import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, script, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";

/** memcached on the controller, listening on 127.0.0.1, ::1 and the controller's name. */
export function memcachedPhase({ facts, controller }: PhaseContext): Phase {
  const { memcached } = facts;
  const listen = `127.0.0.1,::1,${controller.name}`;
  // CentOS keeps it in OPTIONS of /etc/sysconfig/memcached, Debian in a -l line of memcached.conf.
  const [line, replaced] = memcached.style === "sysconfig" ? [`OPTIONS="-l ${listen}"`, "^OPTIONS=.*"] : [`-l ${listen}`, "^-l .*"];
  // Host names have no / or &, so the line is safe in sed's replacement.
  const has = `grep -qxF -- "$line" ${memcached.config}`;
  return {
    key: "memcached",
    title: "Cache (memcached)",
    steps: [
      {
        key: "memcached.configure",
        title: "Install memcached and listen on the controller's name",
        roles: ["controller"],
        check: allOf([`line=${shellQuote(line)}`, packagesInstalled(facts, memcached.packages), has, isActive([memcached.service])]),
        apply: script([
          installPackages(facts, memcached.packages),
          `line=${shellQuote(line)}`,
          `sed -i "s/${replaced}/$line/" ${memcached.config}`,
          has,
          enableAndStart([memcached.service]),
        ]),
        ports: [{ port: 11211, on: "controller", fromRoles: ["compute"], label: "memcached" }],
        services: [memcached.service],
        timeoutSeconds: 300,
      },
    ],
  };
}
