import { shellQuote } from "../../shell/quote";
import { installPackages, packagesInstalled } from "../packages";
import { allOf, printLines, script, textWord, type PhaseContext } from "../phaseContext";
import type { Phase, Step } from "../types";

const HOSTS_BEGIN = "# BEGIN stackpilot hosts";
const HOSTS_END = "# END stackpilot hosts";

/** Where yum finds CentOS 7 now that mirror.centos.org is gone. */
export const CENTOS_REPOSITORY_URLS = {
  vault: "http://vault.centos.org",
  "tutorial-mirror": "http://mirrors.aliyun.com",
} as const;

/** Names, /etc/hosts, firewall and SELinux, package repositories, base tools, the OpenStack client. */
export function basePhase(ctx: PhaseContext): Phase {
  const { facts, input } = ctx;
  const all = ["controller", "compute"] as const;
  const hostsBlock = [HOSTS_BEGIN, ...input.hosts.map((h) => `${h.managementIp} ${h.name}`), HOSTS_END].join("\n");

  const steps: Step[] = [
    {
      key: "base.hostname",
      title: "Set the hostname",
      roles: [...all],
      check: script(['[ "$(hostname)" = "$SP_HOST_NAME" ]']),
      apply: script(['hostnamectl set-hostname "$SP_HOST_NAME" 2>/dev/null || { echo "$SP_HOST_NAME" > /etc/hostname; hostname "$SP_HOST_NAME"; }', 'echo "Hostname: $(hostname)"']),
      timeoutSeconds: 30,
    },
    {
      key: "base.hosts-file",
      title: "Name every host in /etc/hosts",
      roles: [...all],
      check: script([`expected=${textWord(hostsBlock)}`, `[ "$(sed -n '/^${HOSTS_BEGIN}$/,/^${HOSTS_END}$/p' /etc/hosts)" = "$expected" ]`]),
      apply: script([
        // Names in the block win: drop other lines that map the same names, then replace the block.
        `names=${shellQuote(input.hosts.map((h) => h.name).join(" "))}`,
        "tmp=$(mktemp)",
        `awk -v names="$names" 'BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) want[list[i]] = 1 }
  /^${HOSTS_BEGIN}$/ { skip = 1; next } /^${HOSTS_END}$/ { skip = 0; next } skip { next }
  { keep = 1; for (i = 2; i <= NF; i++) if ($i in want) keep = 0; if (keep) print }' /etc/hosts > "$tmp"`,
        `${printLines(hostsBlock)} >> "$tmp"`,
        'cat "$tmp" > /etc/hosts && rm -f "$tmp"',
        "cat /etc/hosts",
      ]),
      verify: script([...input.hosts.map((h) => `getent hosts ${shellQuote(h.name)} | grep -q ${shellQuote(`^${h.managementIp.replace(/\./g, "\\.")}\\b`)}`)]),
      timeoutSeconds: 30,
    },
  ];

  if (facts.firewalld || facts.selinux) {
    steps.push({
      key: "base.firewall-selinux",
      title: "Stop firewalld, SELinux permissive",
      roles: [...all],
      check: allOf([
        facts.firewalld && "! systemctl is-active -q firewalld && ! systemctl is-enabled -q firewalld 2>/dev/null",
        facts.selinux && "{ ! command -v getenforce >/dev/null || [ \"$(getenforce)\" != Enforcing ]; } && ! grep -q '^SELINUX=enforcing' /etc/selinux/config",
      ].filter((c): c is string => Boolean(c))),
      apply: script([
        facts.firewalld && "systemctl stop firewalld 2>/dev/null || true; systemctl disable firewalld 2>/dev/null || true",
        facts.selinux && "setenforce 0 2>/dev/null || true; sed -i 's/^SELINUX=enforcing/SELINUX=permissive/' /etc/selinux/config",
      ]),
      ...(facts.firewalld ? { services: ["firewalld"] } : {}),
      timeoutSeconds: 60,
    });
  }

  steps.push(repositoriesStep(ctx));
  steps.push({
    key: "base.packages",
    title: "Base tools",
    roles: [...all],
    check: script([packagesInstalled(facts, facts.basePackages)]),
    apply: script([installPackages(facts, facts.basePackages)]),
    timeoutSeconds: 900,
  });
  const release = [...facts.releasePackages, ...facts.clientPackages];
  steps.push({
    key: "base.openstack-client",
    title: "OpenStack release repository and client",
    roles: [...all],
    check: script([packagesInstalled(facts, release)]),
    apply: script([
      facts.releasePackages.length > 0 && installPackages(facts, facts.releasePackages),
      // The release package's own repos point at the dead mirror too.
      facts.packageManager === "yum" && rewriteCentosRepos(ctx),
      installPackages(facts, facts.clientPackages),
    ]),
    verify: script(["openstack --version"]),
    timeoutSeconds: 1200,
  });
  return { key: "base", title: "Base system", steps };
}

function repositoriesStep(ctx: PhaseContext): Step {
  const { facts } = ctx;
  if (facts.packageManager === "apt") {
    return {
      key: "base.repositories",
      title: "Package lists",
      roles: ["controller", "compute"],
      // Fresh lists (less than a day old) need no update.
      check: script(['[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name \'*_Packages*\' -mmin -1440 -print -quit)" ]']),
      apply: script([
        "if ! apt-get update -q; then",
        '  echo "apt-get update failed: the package repositories in /etc/apt/sources.list* do not answer (check the proxy or mirror)." >&2; exit 1',
        "fi",
      ]),
      timeoutSeconds: 600,
    };
  }
  return {
    key: "base.repositories",
    title: "CentOS 7 repositories (vault or mirror)",
    roles: ["controller", "compute"],
    check: script(["! grep -qs '^mirrorlist=' /etc/yum.repos.d/CentOS-*.repo", "yum -q repolist enabled >/dev/null 2>&1"]),
    apply: script([
      rewriteCentosRepos(ctx),
      "yum clean all >/dev/null",
      "if ! yum repolist enabled; then",
      '  echo "yum repolist failed: the repositories do not answer. CentOS 7 is end-of-life and mirror.centos.org is gone; choose the vault, the tutorial\'s mirror or your own base URL in the plan\'s options." >&2; exit 1',
      "fi",
    ]),
    timeoutSeconds: 600,
  };
}

/** Points every CentOS repo file at the chosen base URL instead of the dead mirrorlist. */
function rewriteCentosRepos({ input }: PhaseContext): string {
  const choice = input.options.centosRepository;
  const base = (choice === "custom" ? input.options.centosRepositoryUrl : CENTOS_REPOSITORY_URLS[choice]).replace(/\/+$/, "");
  return [
    `base=${shellQuote(base)}`,
    "for f in /etc/yum.repos.d/CentOS-*.repo; do",
    '  [ -f "$f" ] || continue',
    `  sed -i -e 's/^mirrorlist=/#mirrorlist=/' -e "s|^#\\?baseurl=http://mirror.centos.org|baseurl=$base|" "$f"`,
    "done",
  ].join("\n");
}
