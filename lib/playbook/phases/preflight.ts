import { shellQuote } from "../../shell/quote";
import { script, type PhaseContext } from "../phaseContext";
import type { PlaybookScope } from "../scope";
import type { Phase } from "../types";

/** The controller ports the services will listen on, and the programs allowed to hold them. */
export const SERVICE_PORTS = [
  { port: 3306, label: "MariaDB", owners: ["mysqld", "mariadbd"] },
  { port: 5672, label: "RabbitMQ AMQP", owners: ["beam.smp", "beam"] },
  { port: 25672, label: "RabbitMQ clustering", owners: ["beam.smp", "beam"] },
  { port: 15672, label: "RabbitMQ management", owners: ["beam.smp", "beam"] },
  { port: 11211, label: "memcached", owners: ["memcached"] },
  { port: 2379, label: "etcd clients", owners: ["etcd"] },
  { port: 2380, label: "etcd peers", owners: ["etcd"] },
  // Shell patterns: Debian's uwsgi shows as uwsgi_python311.
  { port: 5000, label: "Keystone", owners: ["httpd", "apache2", "uwsgi*", "keystone*"] },
  { port: 9292, label: "Glance", owners: ["glance-api", "python*", "uwsgi*"] },
] as const;

/** What the compute scope adds. Process names are cut at 15 characters (nova-api-metadata shows as nova-api-metada). */
export const COMPUTE_SERVICE_PORTS = [
  { port: 8778, label: "Placement", owners: ["httpd", "uwsgi*", "placement*"] },
  { port: 8774, label: "Nova API", owners: ["nova-api*", "python*", "uwsgi*"] },
  { port: 8775, label: "Nova metadata API", owners: ["nova-api*", "python*", "uwsgi*"] },
  { port: 6080, label: "noVNC console proxy", owners: ["nova-novncproxy", "python*"] },
  // Debian's neutron-api runs under uwsgi; RDO's is neutron-server.
  { port: 9696, label: "Neutron API", owners: ["neutron-server", "neutron-api", "uwsgi*", "python*"] },
] as const;

export function servicePortsFor(scope: PlaybookScope): readonly { port: number; label: string; owners: readonly string[] }[] {
  return scope === "compute" ? [...SERVICE_PORTS, ...COMPUTE_SERVICE_PORTS] : SERVICE_PORTS;
}

/** Read-only checks before anything changes: the right OS, enough of a machine, free ports. */
export function preflightPhase({ facts, input }: PhaseContext): Phase {
  const osCheck = script([
    ". /etc/os-release",
    `if [ "$ID" != ${shellQuote(facts.os.id)} ] || [ "\${VERSION_ID%%.*}" != ${shellQuote(facts.os.versionPrefix)} ]; then`,
    `  echo "This host runs $PRETTY_NAME, but the plan's profile is for ${facts.os.label}." >&2; exit 1`,
    "fi",
    "mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)",
    `[ "$mem_kb" -ge 7800000 ] || echo "Warning: $((mem_kb / 1024)) MiB of RAM, below the tutorial's 8 GB."`,
    "disk_kb=$(df -Pk / | awk 'NR == 2 {print $2}')",
    `[ "$disk_kb" -ge 290000000 ] || echo "Warning: $((disk_kb / 1024 / 1024)) GiB on /, below the tutorial's 300 GB."`,
    facts.selinux && 'command -v getenforce >/dev/null && echo "SELinux: $(getenforce)"',
    facts.firewalld && 'echo "firewalld: $(systemctl is-active firewalld 2>/dev/null || true)"',
    `echo "$PRETTY_NAME matches the profile."`,
  ]);
  const portsFree = script([
    "busy=0",
    ...servicePortsFor(input.scope).map(
      ({ port, label, owners }) =>
        // "|| true": a free port makes grep fail, which would end the script (set -e, pipefail).
        `owner=$(ss -ltnpH "sport = :${port}" 2>/dev/null | grep -o 'users:(("[^"]*"' | head -n 1 | cut -d'"' -f2 || true)\n` +
        `case "$owner" in "") ;; ${owners.join("|")}) echo "Port ${port} (${label}) is served by $owner." ;; *) echo "Port ${port} (${label}) is taken by $owner: stop it, or the ${label} step will fail." >&2; busy=1 ;; esac`,
    ),
    'exit "$busy"',
  ]);
  return {
    key: "preflight",
    title: "Preflight",
    steps: [
      { key: "preflight.system", title: "Operating system, memory and disk", roles: ["controller", "compute"], check: osCheck, apply: osCheck, timeoutSeconds: 30, note: "Read-only: it passes (skipped) or stops the run." },
      { key: "preflight.ports", title: "The controller's service ports are free", roles: ["controller"], check: portsFree, apply: portsFree, timeoutSeconds: 30, note: "Read-only." },
    ],
  };
}
