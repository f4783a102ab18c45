import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, script, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";

/** memcached on the controller, listening on 127.0.0.1, ::1 and the controller's name. */
export function memcachedPhase({ facts, controller }: PhaseContext): Phase {
  const { memcached } = facts;
  const listen = `127.0.0.1,::1,${controller.name}`;
  // CentOS keeps it in OPTIONS of /etc/sysconfig/memcached, Debian in a -l line of memcached.conf.
  const [wanted, set] =
    memcached.style === "sysconfig"
      ? [`^OPTIONS="-l ${listen}"$`, `sed -i 's/^OPTIONS=.*/OPTIONS="-l ${listen}"/' ${memcached.config}`]
      : [`^-l ${listen}$`, `sed -i 's/^-l .*/-l ${listen}/' ${memcached.config}`];
  return {
    key: "memcached",
    title: "Cache (memcached)",
    steps: [
      {
        key: "memcached.configure",
        title: "Install memcached and listen on the controller's name",
        roles: ["controller"],
        check: allOf([packagesInstalled(facts, memcached.packages), `grep -q '${wanted}' ${memcached.config}`, isActive([memcached.service])]),
        apply: script([installPackages(facts, memcached.packages), set, `grep -q '${wanted}' ${memcached.config}`, enableAndStart([memcached.service])]),
        ports: [{ port: 11211, on: "controller", fromRoles: ["compute"], label: "memcached" }],
        timeoutSeconds: 300,
      },
    ],
  };
}
