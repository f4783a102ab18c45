import type { Locale } from "../i18n/locale";
import type { MessageKey } from "../i18n/messages";
import { translate } from "../i18n/translate";
import { readNetworkAgents, readVmResults, type VmResult } from "../report/vmVerification";

/**
 * What the dashboard shows with a failed step: one plain sentence for a known error, the step's
 * last log lines, and what the host said about the step's services (systemctl status, journal,
 * listening ports). Pure: shared by the runner, which collects it, and the browser, which shows it.
 */
export type Triage = {
  /** What is wrong and what to do, in English, when the text shows a known error; null otherwise. */
  hint: string | null;
  /**
   * The same hint as an id and its values, to say it in the reader's language (hintText).
   * Absent in triages stored before hints were translatable: then only `hint` is there.
   */
  diagnosis?: Hint | null;
  /** The step's last log lines (at most 50), redacted. */
  lastLines: string[];
  /** One per command asked on the host, redacted. */
  sections: TriageSection[];
};

export type TriageSection = {
  title: string;
  command: string;
  output: string;
  /** What was asked, so the title can be said in another language (absent in older triages). */
  probe?: { kind: "status" | "journal" | "ports" } & { unit?: string };
};

/** Every hint's id: each has a sentence in every language, `triage.hint.<id>` in the dashboard's catalog. */
export const HINT_IDS = [
  "disk-full",
  "out-of-memory",
  "selinux-denied-program",
  "selinux-denied",
  "clock-skew",
  "no-valid-host",
  "no-valid-host-unknown",
  "port-binding-failed",
  "port-binding-failed-unknown",
  "network-agent-down",
  "vm-not-active",
  "vm-not-active-no-fault",
  "vm-unreachable",
  "package-lock-held",
  "yum-lock-held",
  "package-lock",
  "dpkg-interrupted",
  "yum-unfinished-transaction",
  "address-missing-port",
  "address-missing",
  "port-in-use",
  "port-in-use-unknown",
  "db-root-password",
  "db-user-password",
  "db-password",
  "db-down",
  "ssh-login-refused",
  "rabbitmq-password",
  "rabbitmq-down",
  "keystone-credentials",
  "ssh-key-refused-by",
  "ssh-key-refused",
  "host-key-changed",
  "etcd-old-data",
  "yum-repositories",
  "apt-repositories",
  "package-missing",
  "name-unresolved",
  "name-unresolved-unknown",
  "no-answer-at",
  "connection-refused",
  "unit-missing",
  "command-missing",
  "service-failed",
  "killed",
] as const;
export type HintId = (typeof HINT_IDS)[number];

/** A known error, found in a text: which one, and the values its sentence names (a port, a user…). */
export type Hint = { id: HintId; params: Record<string, string> };

/** Every hint id has a text in the catalogs: a missing one is a type error here. */
type MissingHintText = Exclude<`triage.hint.${HintId}`, MessageKey>;
const everyHintHasText: [MissingHintText] extends [never] ? true : MissingHintText = true;
void everyHintHasText;

/** A hint in a language, its values filled in. */
export function hintText(locale: Locale, hint: Hint): string {
  return translate(locale, `triage.hint.${hint.id}` as MessageKey, hint.params);
}

/** What to show for a triage's hint: translated when it carries its id, else the English sentence it was stored with. */
export function triageHintText(locale: Locale, triage: Pick<Triage, "hint" | "diagnosis">): string | null {
  return triage.diagnosis ? hintText(locale, triage.diagnosis) : triage.hint;
}

/** A known error: patterns that show it, and the hint for the line that matched first (and the whole text, for what other lines add). */
type Rule = { patterns: RegExp[]; say: (line: string, match: RegExpExecArray, text: string) => Hint };

const hint = (id: HintId, params: Record<string, string> = {}): Hint => ({ id, params });

const SERVICE_PASSWORDS: Record<string, string> = { root: "MARIADB_ROOT_PASS", keystone: "KEYSTONE_DBPASS", glance: "GLANCE_DBPASS" };

/** The port in a line: "[::]:5000", "10.0.0.1:2379", "ct:5672", "port 3306", "port: 3306". */
function portIn(line: string): string | null {
  const named = /\bport[ :=]+(\d{2,5})\b/i.exec(line);
  if (named) return named[1];
  // An address before the colon: a bracket, a dotted IP, a host name or *; not a time of day.
  const addressed = [...line.matchAll(/(?:\]|\b\d{1,3}(?:\.\d{1,3}){3}|\*|\b[a-z][\w.-]*):(\d{2,5})(?!\d)/gi)];
  return addressed.length > 0 ? addressed[addressed.length - 1][1] : null;
}

/** The first VM verify.vm reported in the text that is not ACTIVE. */
function failedVm(text: string): VmResult | null {
  return readVmResults(text.split("\n"))?.find((vm) => vm.status !== "ACTIVE") ?? null;
}

/** The compute a VM fault is about: the SP_VM_FAULT line's own, else the VM that failed. */
function faultHost(line: string, text: string): string | null {
  return /(?:^|\s)SP_VM_FAULT host=(\S+)/.exec(line)?.[1] ?? failedVm(text)?.host ?? null;
}

/** A fault message short enough for one sentence. */
function shortFault(faults: string[]): string {
  const fault = faults.join(" ").trim().replace(/[.\s]+$/, "");
  return fault.length > 300 ? `${fault.slice(0, 299)}…` : fault;
}

/** The units of the agents verify.network expects, by the type the agent list gives them. */
const AGENT_UNITS: Record<string, string> = {
  "Linux bridge agent": "neutron-linuxbridge-agent",
  "L3 agent": "neutron-l3-agent",
  "DHCP agent": "neutron-dhcp-agent",
  "Metadata agent": "neutron-metadata-agent",
};

/**
 * The first agent verify.network found dead: from `openstack network agent list`'s table (XXX), by
 * its columns or, when the header is cut off, by cliff's order; else from its "Not alive: <type> <host> False".
 */
function deadAgent(line: string, text: string): Hint {
  const agent = readNetworkAgents(text.split("\n"))?.find((a) => !a.alive);
  if (agent) return hint("network-agent-down", { agent: agent.type, host: agent.host, unit: agent.binary });
  const named = /Not alive: (.+) (\S+) \S+$/.exec(line);
  if (named) return hint("network-agent-down", { agent: named[1], host: named[2], unit: AGENT_UNITS[named[1]] ?? "neutron-server" });
  const cells = line.trim().slice(1, -1).split("|").map((c) => c.trim());
  return hint("network-agent-down", { agent: cells[1], host: cells[2], unit: cells[cells.length - 1] });
}

/**
 * Most specific first: a full disk or an SELinux denial explains the errors that follow it, a
 * repository that does not answer explains the package that "does not exist", and a generic
 * "the service did not start" comes last.
 */
const RULES: Rule[] = [
  {
    patterns: [/No space left on device/i, /Disk quota exceeded/i],
    say: () => hint("disk-full"),
  },
  {
    patterns: [/\bOut of memory\b/i, /\boom-kill/i, /Cannot allocate memory/i],
    say: () => hint("out-of-memory"),
  },
  {
    patterns: [/avc:\s+denied\s*(\{[^}]*\})?/i, /SELinux is preventing/i],
    say: (line) => {
      const comm = /comm="([^"]+)"/.exec(line)?.[1];
      return comm ? hint("selinux-denied-program", { program: comm }) : hint("selinux-denied");
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
    say: () => hint("clock-skew"),
  },
  // The compute scope's last checks (verify.network, verify.vm): before the generic rules, whose
  // words (Connection refused, Permission denied (publickey)) a VM that does not answer also prints.
  {
    patterns: [/No valid host was found/i],
    say: (line, _match, text) => {
      const host = faultHost(line, text);
      return host ? hint("no-valid-host", { host }) : hint("no-valid-host-unknown");
    },
  },
  {
    patterns: [/\bPortBindingFailed\b/, /Binding failed for port/i],
    say: (line, _match, text) => {
      const host = faultHost(line, text);
      return host ? hint("port-binding-failed", { host }) : hint("port-binding-failed-unknown");
    },
  },
  {
    // A row of `openstack network agent list` whose Alive column is XXX.
    patterns: [/^[ \t]*\|[^\n]*\|[ \t]*XXX[ \t]*\|[^\n]*\|[ \t]*$/m, /^Not alive: .+ \S+ (?:False|XXX)$/m],
    say: (line, _match, text) => deadAgent(line, text),
  },
  {
    patterns: [/(?:^|\s)SP_VM host=\S+ [^\n]*\bstatus=(?!ACTIVE\b)\S+/m],
    say: (_line, _match, text) => {
      const vm = failedVm(text)!;
      const params = { host: vm.host, server: vm.server, status: vm.status };
      return vm.faults.length > 0 ? hint("vm-not-active", { ...params, fault: shortFault(vm.faults) }) : hint("vm-not-active-no-fault", params);
    },
  },
  {
    patterns: [/(?:^|\s)SP_VM host=\S+ [^\n]*\bstatus=ACTIVE\b[^\n]*\b(?:ping|ssh)=failed\b/m],
    say: (_line, _match, text) => {
      const vm = readVmResults(text.split("\n"))!.find((v) => v.status === "ACTIVE" && (v.ping === "failed" || v.ssh === "failed"))!;
      const checks = [vm.ping === "failed" ? "ping" : null, vm.ssh === "failed" ? "SSH" : null].filter(Boolean).join(", ");
      return hint("vm-unreachable", { host: vm.host, server: vm.server, ip: vm.floatingIp ?? vm.fixedIp ?? "—", checks });
    },
  },
  {
    // Another install that the package steps waited for and did not stop (sp_recover_packages), or apt naming the lock's holder.
    patterns: [/package manager's lock is still held by process (\d+) \(([^)]*)\)/, /\bIt is held by process (\d+) \(([^)]*)\)/],
    say: (_line, match) => hint("package-lock-held", { pid: match[1], program: match[2] }),
  },
  {
    // yum says who holds its lock a few lines below "holding the yum lock".
    patterns: [/holding the yum lock[\s\S]{0,600}?\bpid: (\d+)/i, /Existing lock \/var\/run\/yum\.pid: another copy is running as pid (\d+)/i],
    say: (_line, match) => hint("yum-lock-held", { pid: match[1] }),
  },
  {
    patterns: [/Could not get lock \/var\/lib\/(?:dpkg|apt)/i, /Unable to acquire the dpkg frontend lock/i, /holding the yum lock/i, /Existing lock \/var\/run\/yum\.pid/i],
    say: () => hint("package-lock"),
  },
  {
    // apt's refusal, or the package steps' repair (sp_recover_packages) that did not get through.
    patterns: [/dpkg was interrupted, you must manually run/i, /Could not repair the interrupted package install: (?:dpkg|apt-get)\b/],
    say: () => hint("dpkg-interrupted"),
  },
  {
    patterns: [/Could not repair the interrupted package install: .*yum-complete-transaction/],
    say: () => hint("yum-unfinished-transaction"),
  },
  {
    patterns: [/Cannot assign requested address/i],
    say: (line) => {
      const port = portIn(line);
      return port ? hint("address-missing-port", { port }) : hint("address-missing");
    },
  },
  {
    patterns: [/Address already in use/i, /\bEADDRINUSE\b/, /\bbind\(\)[^\n]*\bfailed/i, /could not bind to address/i, /port is already allocated/i],
    say: (line) => {
      const port = portIn(line);
      return port ? hint("port-in-use", { port }) : hint("port-in-use-unknown");
    },
  },
  {
    patterns: [/Access denied for user '([^']*)'@'([^']*)'/i, /Access denied for user/i],
    say: (_line, match) => {
      const user = match[1];
      if (user === "root") return hint("db-root-password");
      if (!user) return hint("db-password");
      return hint("db-user-password", { user, secret: SERVICE_PASSWORDS[user] ?? `${user.toUpperCase()}_DBPASS` });
    },
  },
  {
    patterns: [/Can't connect to (?:local )?(?:MySQL|MariaDB) server/i, /\bERROR 200[23]\b/],
    say: () => hint("db-down"),
  },
  {
    // StackPilot's own words for an SSH login the host refused (server/ssh/sshErrors.ts).
    patterns: [/refused the (?:password|private key): check the user name/],
    say: () => hint("ssh-login-refused"),
  },
  {
    patterns: [/ACCESS_REFUSED/, /Login was refused using authentication mechanism/i],
    say: () => hint("rabbitmq-password"),
  },
  {
    patterns: [/unable to connect to node/i, /unable to perform an operation on node/i, /\bnodedown\b/i],
    say: () => hint("rabbitmq-down"),
  },
  {
    patterns: [/requires authentication\.? \(HTTP 401\)/i, /The request you have made requires authentication/i],
    say: () => hint("keystone-credentials"),
  },
  {
    patterns: [/(\S+@\S+): Permission denied \(publickey/i, /Permission denied \(publickey/i],
    say: (_line, match) => (match[1] ? hint("ssh-key-refused-by", { who: match[1] }) : hint("ssh-key-refused")),
  },
  {
    patterns: [/Host key verification failed/i, /REMOTE HOST IDENTIFICATION HAS CHANGED/i],
    say: () => hint("host-key-changed"),
  },
  {
    patterns: [/has already been bootstrapped/i, /member [0-9a-f]+ has already been/i],
    say: () => hint("etcd-old-data"),
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
    say: () => hint("yum-repositories"),
  },
  {
    patterns: [/Failed to fetch/i, /Temporary failure resolving/i, /Unable to connect to \S/i, /Could not connect to \S/i, /does not have a Release file/i, /Unable to fetch some archives/i],
    say: () => hint("apt-repositories"),
  },
  {
    patterns: [/No package (\S+?)\.? available/i, /Unable to locate package (\S+)/i, /Package '?([^'\s]+)'? has no installation candidate/i, /No match for argument:? (\S+)/i],
    say: (_line, match) => hint("package-missing", { package: match[1] }),
  },
  {
    // A warning yum prints and goes on: a cause only when nothing more specific is in the text.
    patterns: [/There are unfinished transactions remaining/i],
    say: () => hint("yum-unfinished-transaction"),
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
    say: (_line, match) => (match[1] ? hint("name-unresolved", { name: match[1] }) : hint("name-unresolved-unknown")),
  },
  {
    patterns: [/Unable to establish connection to (\S+?)[:,]?\s/i, /Failed to discover available identity versions when contacting (\S+?)\.?\s/i, /Connection refused/i],
    say: (_line, match) => (match[1] ? hint("no-answer-at", { target: match[1] }) : hint("connection-refused")),
  },
  {
    patterns: [/Unit ([\w@.:-]+?)(?:\.service)? (?:could not be found|not found)/i],
    say: (_line, match) => hint("unit-missing", { unit: match[1] }),
  },
  {
    patterns: [/(?:^|\s)([\w.-]+): command not found/],
    say: (_line, match) => hint("command-missing", { command: match[1] }),
  },
  {
    patterns: [/Job for ([\w@.:-]+?)(?:\.service)? failed/i, /Failed to (?:start|restart) ([\w@:-][\w@.:-]*?)\.service\b/i],
    say: (_line, match) => hint("service-failed", { unit: match[1] }),
  },
  {
    // bash's report of a child killed by SIGKILL, or the step's own exit code 137 (128 + 9); last:
    // what the killed program left (an interrupted dpkg) is the more useful thing to say.
    patterns: [/\bline \d+:\s+\d+ Killed\b/, /\bexit code 137\b/],
    say: () => hint("killed"),
  },
];

/** The line of `text` that holds position `index`. */
function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf("\n", index - 1) + 1;
  const end = text.indexOf("\n", index);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The first known error in `text` (rules in order), as a hint to say in any language, or null. */
export function diagnose(text: string): Hint | null {
  if (!text) return null;
  for (const rule of RULES) {
    for (const pattern of rule.patterns) {
      const match = pattern.exec(text);
      if (match) return rule.say(lineAt(text, match.index), match, text);
    }
  }
  return null;
}
