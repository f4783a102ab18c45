/**
 * What the dashboard shows with a failed step: one plain sentence for a known error, the step's
 * last log lines, and what the host said about the step's services (systemctl status, journal,
 * listening ports). Pure: shared by the runner, which collects it, and the browser, which shows it.
 */
export type Triage = {
  /** What is wrong and what to do, when the text shows a known error; null otherwise. */
  hint: string | null;
  /** The step's last log lines (at most 50), redacted. */
  lastLines: string[];
  /** One per command asked on the host, redacted. */
  sections: { title: string; command: string; output: string }[];
};

/** A known error: patterns that show it, and the sentence for the line that matched first. */
type Rule = { patterns: RegExp[]; say: (line: string, match: RegExpExecArray) => string };

const SERVICE_PASSWORDS: Record<string, string> = { root: "MARIADB_ROOT_PASS", keystone: "KEYSTONE_DBPASS", glance: "GLANCE_DBPASS" };

/** The port in a line: "[::]:5000", "10.0.0.1:2379", "ct:5672", "port 3306", "port: 3306". */
function portIn(line: string): string | null {
  const named = /\bport[ :=]+(\d{2,5})\b/i.exec(line);
  if (named) return named[1];
  // An address before the colon: a bracket, a dotted IP, a host name or *; not a time of day.
  const addressed = [...line.matchAll(/(?:\]|\b\d{1,3}(?:\.\d{1,3}){3}|\*|\b[a-z][\w.-]*):(\d{2,5})(?!\d)/gi)];
  return addressed.length > 0 ? addressed[addressed.length - 1][1] : null;
}

/**
 * Most specific first: a full disk or an SELinux denial explains the errors that follow it, a
 * repository that does not answer explains the package that "does not exist", and a generic
 * "the service did not start" comes last.
 */
const RULES: Rule[] = [
  {
    patterns: [/No space left on device/i, /Disk quota exceeded/i],
    say: () => "A disk on this host is full (No space left on device): free space on the file system `df -h` shows full (old logs, the package cache: `yum clean all` or `apt-get clean`), then run the step again.",
  },
  {
    patterns: [/\bOut of memory\b/i, /\boom-kill/i, /Cannot allocate memory/i],
    say: () => "This host ran out of memory and a process was killed: stop what else runs there or give it more RAM (the tutorial's controller has 8 GB), then run the step again.",
  },
  {
    patterns: [/avc:\s+denied\s*(\{[^}]*\})?/i, /SELinux is preventing/i],
    say: (line) => {
      const comm = /comm="([^"]+)"/.exec(line)?.[1];
      return `SELinux denied ${comm ? `${comm} ` : ""}an access (avc: denied): set SELinux to permissive (\`setenforce 0\` and SELINUX=permissive in /etc/selinux/config, as the base step does) or relabel the files with \`restorecon -Rv\`, then run the step again.`;
    },
  },
  {
    patterns: [
      /clock skew/i,
      /clock difference against peer/i,
      /\bnot synchroni[sz]ed\b/i,
      /\bclock synchronized: no\b/i,
      /\b(?:token|certificate)\b.{0,80}\bnot (?:valid yet|yet valid)\b/i,
    ],
    say: () => "The clocks of the hosts disagree (clock skew): check `chronyc sources` and `chronyc tracking` on each host and let chrony sync them (the chrony steps set it up), then run the step again.",
  },
  {
    patterns: [/Could not get lock \/var\/lib\/(?:dpkg|apt)/i, /Unable to acquire the dpkg frontend lock/i, /holding the yum lock/i, /Existing lock \/var\/run\/yum\.pid/i],
    say: () => "Another package manager is running on this host and holds its lock (often automatic updates): wait for it to finish, then run the step again.",
  },
  {
    patterns: [/Cannot assign requested address/i],
    say: (line) => {
      const port = portIn(line);
      return `A service is told to listen${port ? ` (port ${port})` : ""} on an address this host does not have (Cannot assign requested address): compare the plan's management IP with \`ip -br addr\` on this host.`;
    },
  },
  {
    patterns: [/Address already in use/i, /\bEADDRINUSE\b/, /\bbind\(\)[^\n]*\bfailed/i, /could not bind to address/i, /port is already allocated/i],
    say: (line) => {
      const port = portIn(line);
      return port
        ? `Port ${port} is already taken by another program: find it with \`ss -ltnp 'sport = :${port}'\`, stop and disable it, then run the step again.`
        : "A port the service needs is already taken by another program: find it with `ss -ltnp` (below), stop and disable it, then run the step again.";
    },
  },
  {
    patterns: [/Access denied for user '([^']*)'@'([^']*)'/i, /Access denied for user/i],
    say: (_line, match) => {
      const user = match[1];
      if (user === "root") return "MariaDB refused the root password (Access denied for user 'root'): MARIADB_ROOT_PASS is not the password MariaDB was secured with; enter that one on the passwords page and run the step again.";
      const secret = user ? (SERVICE_PASSWORDS[user] ?? `${user.toUpperCase()}_DBPASS`) : null;
      return user
        ? `MariaDB refused the password of its user ${user} (Access denied): the password in ${user}'s configuration and the one in the database differ; check ${secret} on the passwords page and deploy again (the ${user} database step resets it).`
        : "MariaDB refused a password (Access denied for user): the password in the service's configuration and the one in the database differ; check it on the passwords page and deploy again.";
    },
  },
  {
    patterns: [/Can't connect to (?:local )?(?:MySQL|MariaDB) server/i, /\bERROR 200[23]\b/],
    say: () => "MariaDB does not answer: start it (`systemctl restart mariadb`) and read its journal for why it stopped; from another host, check bind-address in its openstack.cnf and that port 3306 is open.",
  },
  {
    // StackPilot's own words for an SSH login the host refused (server/ssh/sshErrors.ts).
    patterns: [/refused the (?:password|private key): check the user name/],
    say: () => "The host refused StackPilot's SSH login: the user name or the password (or key) for this host in the plan is wrong; fix it on the credentials page and resume.",
  },
  {
    patterns: [/ACCESS_REFUSED/, /Login was refused using authentication mechanism/i],
    say: () => "RabbitMQ refused the openstack user's password (ACCESS_REFUSED): RABBIT_PASS differs from the one RabbitMQ has; check it on the passwords page and deploy again (the RabbitMQ user step resets it).",
  },
  {
    patterns: [/unable to connect to node/i, /unable to perform an operation on node/i, /\bnodedown\b/i],
    say: () => "rabbitmqctl cannot reach the RabbitMQ node: rabbitmq-server is not running or its node name no longer matches the hostname; read its journal, `systemctl restart rabbitmq-server`, then run the step again.",
  },
  {
    patterns: [/requires authentication\.? \(HTTP 401\)/i, /The request you have made requires authentication/i],
    say: () => "Keystone refused the credentials (HTTP 401): ADMIN_PASS or the service's password (GLANCE_PASS) differs from the one Keystone has; check it on the passwords page and deploy again.",
  },
  {
    patterns: [/(\S+@\S+): Permission denied \(publickey/i, /Permission denied \(publickey/i],
    say: (_line, match) =>
      `${match[1] ? `${match[1]} refused the controller's SSH key` : "A host refused the controller's SSH key"} (Permission denied (publickey)): the key is missing from that host's /root/.ssh/authorized_keys or root may not log in (PermitRootLogin); run the ssh-trust steps again.`,
  },
  {
    patterns: [/Host key verification failed/i, /REMOTE HOST IDENTIFICATION HAS CHANGED/i],
    say: () => "A host's SSH key is not the one the controller remembers (it was reinstalled?): remove the old key with `ssh-keygen -R <name>` on the controller, then run the step again.",
  },
  {
    patterns: [/has already been bootstrapped/i, /member [0-9a-f]+ has already been/i],
    say: () => "etcd's data directory belongs to an earlier configuration: stop etcd, remove its data directory (the etcd step does so when its configuration changes), then run the step again.",
  },
  {
    patterns: [
      /Cannot find a valid baseurl/i,
      /Could not retrieve mirrorlist/i,
      /Cannot retrieve repository metadata/i,
      /No more mirrors to try/i,
      /One of the configured repositories failed/i,
      /\[Errno 14\]/,
    ],
    say: () =>
      "yum cannot reach its repositories: CentOS 7 is end-of-life and mirror.centos.org is gone, so choose the vault, the tutorial's mirror or your own base URL in the plan's options, and check this host's network, proxy and DNS.",
  },
  {
    patterns: [/Failed to fetch/i, /Temporary failure resolving/i, /Unable to connect to \S/i, /Could not connect to \S/i, /does not have a Release file/i, /Unable to fetch some archives/i],
    say: () => "apt cannot download from its repositories: check the mirror and proxy in /etc/apt/sources.list* and /etc/apt/apt.conf.d, and this host's network and DNS, then run the step again.",
  },
  {
    patterns: [/No package (\S+?)\.? available/i, /Unable to locate package (\S+)/i, /Package '?([^'\s]+)'? has no installation candidate/i, /No match for argument:? (\S+)/i],
    say: (_line, match) =>
      `The package ${match[1]} is in none of this host's repositories: check that the OpenStack release repository is installed and enabled (the base steps add it) and that the host runs the profile's system.`,
  },
  {
    patterns: [
      /(?:Could not resolve (?:host(?:name)?:? )?'?)([A-Za-z0-9][\w.-]*)/i,
      /([A-Za-z0-9][\w.-]*): (?:Name or service not known|Temporary failure in name resolution)/i,
      /Name or service not known/i,
      /Temporary failure in name resolution/i,
      /nodename nor servname/i,
      /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ?([\w.-]*)/i,
    ],
    say: (_line, match) => {
      const name = match[1];
      return `${name ? `The name ${name} does not resolve` : "A name does not resolve"} on this host: add it to /etc/hosts (the base step does so for the plan's hosts) or fix the DNS server in /etc/resolv.conf, then run the step again.`;
    },
  },
  {
    patterns: [/Unable to establish connection to (\S+?)[:,]?\s/i, /Failed to discover available identity versions when contacting (\S+?)\.?\s/i, /Connection refused/i],
    say: (_line, match) =>
      `${match[1] ? `Nothing answers at ${match[1]}` : "A service refused the connection"}: the service behind it is not running or listens elsewhere; read its status and journal, restart it, then run the step again.`,
  },
  {
    patterns: [/Unit ([\w@.:-]+?)(?:\.service)? (?:could not be found|not found)/i],
    say: (_line, match) => `The unit ${match[1]} does not exist on this host: its package is not installed (run the install step again) or it has another name on this system.`,
  },
  {
    patterns: [/(?:^|\s)([\w.-]+): command not found/],
    say: (_line, match) => `The command ${match[1]} is not installed on this host: the earlier install steps bring it; run them first.`,
  },
  {
    patterns: [/Job for ([\w@.:-]+?)(?:\.service)? failed/i, /Failed to (?:start|restart) ([\w@:-][\w@.:-]*?)\.service\b/i],
    say: (_line, match) => `The service ${match[1]} did not start: its status and journal say why (\`systemctl status ${match[1]}\`, \`journalctl -u ${match[1]}\`); fix that, then run the step again.`,
  },
];

/** The line of `text` that holds position `index`. */
function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf("\n", index - 1) + 1;
  const end = text.indexOf("\n", index);
  return text.slice(start, end === -1 ? undefined : end);
}

/** One plain sentence for the first known error in `text` (rules in order), or null. */
export function diagnose(text: string): string | null {
  if (!text) return null;
  for (const rule of RULES) {
    for (const pattern of rule.patterns) {
      const match = pattern.exec(text);
      if (match) return rule.say(lineAt(text, match.index), match);
    }
  }
  return null;
}
