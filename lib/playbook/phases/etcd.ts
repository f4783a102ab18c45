import { shellQuote } from "../../shell/quote";
import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, script, type PhaseContext } from "../phaseContext";
import type { Phase } from "../types";

/** The tutorial's etcd.conf with the plan's values (and its ADVERTISE_CLIENT_URLS typo fixed). */
export function etcdConf(name: string, ip: string, dataDir: string): string {
  return [
    "#[Member]",
    `ETCD_DATA_DIR="${dataDir}"`,
    `ETCD_LISTEN_PEER_URLS="http://${ip}:2380"`,
    `ETCD_LISTEN_CLIENT_URLS="http://${ip}:2379"`,
    `ETCD_NAME="${name}"`,
    "#[Clustering]",
    `ETCD_INITIAL_ADVERTISE_PEER_URLS="http://${ip}:2380"`,
    `ETCD_ADVERTISE_CLIENT_URLS="http://${ip}:2379"`,
    `ETCD_INITIAL_CLUSTER="${name}=http://${ip}:2380"`,
    'ETCD_INITIAL_CLUSTER_TOKEN="etcd-cluster-01"',
    'ETCD_INITIAL_CLUSTER_STATE="new"',
  ].join("\n");
}

export function etcdPhase({ facts, controller }: PhaseContext): Phase {
  const { etcd } = facts;
  const conf = etcdConf(controller.name, controller.managementIp, etcd.dataDir);
  return {
    key: "etcd",
    title: "Key-value store (etcd)",
    steps: [
      {
        key: "etcd.configure",
        title: "Install etcd with the controller's addresses",
        roles: ["controller"],
        check: allOf([packagesInstalled(facts, etcd.packages), `[ "$(cat ${etcd.config} 2>/dev/null)" = ${shellQuote(conf)} ]`, isActive([etcd.service])]),
        apply: script([
          installPackages(facts, etcd.packages),
          `printf '%s\\n' ${shellQuote(conf)} > ${etcd.config}`,
          // A member started by the package with other settings keeps them in its data dir.
          `if ! systemctl is-active -q ${etcd.service} || ! grep -qs ${shellQuote(controller.managementIp)} /proc/$(systemctl show -p MainPID --value ${etcd.service})/environ; then systemctl stop ${etcd.service} || true; rm -rf ${etcd.dataDir}; fi`,
          enableAndStart([etcd.service]),
        ]),
        ports: [
          { port: 2379, on: "controller", fromRoles: ["compute"], label: "etcd clients" },
          { port: 2380, on: "controller", fromRoles: ["compute"], label: "etcd peers" },
        ],
        timeoutSeconds: 300,
      },
    ],
  };
}
