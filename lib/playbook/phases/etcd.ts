import { shellQuote } from "../../shell/quote";
import { installPackages, packagesInstalled } from "../packages";
import { allOf, enableAndStart, isActive, printLines, script, textWord, type PhaseContext } from "../phaseContext";
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
        check: allOf([packagesInstalled(facts, etcd.packages), `[ "$(cat ${etcd.config} 2>/dev/null)" = ${textWord(conf)} ]`, isActive([etcd.service])]),
        apply: script([
          installPackages(facts, etcd.packages),
          // A member started with other settings (Debian's package starts one on localhost) keeps its
          // name and URLs in the data dir: a new configuration starts from an empty one.
          `if [ "$(cat ${etcd.config} 2>/dev/null)" != ${textWord(conf)} ]; then`,
          `  systemctl stop ${etcd.service} || true`,
          `  rm -rf ${etcd.dataDir}`,
          `  ${printLines(conf)} > ${etcd.config}`,
          "fi",
          enableAndStart([etcd.service]),
        ]),
        ports: [
          { port: 2379, on: "controller", fromRoles: ["compute"], label: "etcd clients" },
          { port: 2380, on: "controller", fromRoles: ["compute"], label: "etcd peers" },
        ],
        services: [etcd.service],
        timeoutSeconds: 300,
      },
    ],
  };
}
