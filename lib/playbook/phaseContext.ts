import { shellQuote } from "../shell/quote";
import type { DistroFacts } from "./profiles/distroFacts";
import type { PlaybookHost, PlaybookInput } from "./playbookInput";
import type { ServiceSecret } from "./serviceSecrets";
import type { Script, Step } from "./types";

/** What a phase builder gets: the plan's hosts and options, and the profile's distro facts. */
export type PhaseContext = {
  input: PlaybookInput;
  facts: DistroFacts;
  controller: PlaybookHost;
  computes: PlaybookHost[];
};

/**
 * A script from lines; blank entries (for facts that do not apply) are dropped. The body is one
 * group reading /dev/null: runners send scripts on stdin (`bash -s`), and a command that reads
 * stdin (rabbitmqctl does) would swallow the rest of the script. Bash reads a whole group before
 * running it, so the group itself arrives intact.
 */
export function script(lines: (string | false | null | undefined)[], secrets: ServiceSecret[] = []): Script {
  const body = lines.filter((line): line is string => typeof line === "string" && line !== "").join("\n");
  return { body: `{\n${body || ":"}\n} </dev/null`, secrets };
}

/**
 * A step whose check also proves its apply worked: without a verify of its own, the check runs
 * again after the apply, so a half-done apply fails the step instead of the next run finding it.
 */
export function verifiedByCheck(step: Step): Step {
  return step.verify || !step.check ? step : { ...step, verify: step.check };
}

/** "a && b && c" as one check: the step is done only when every condition holds. */
export function allOf(conditions: string[], secrets: ServiceSecret[] = []): Script {
  return script([conditions.map((c) => `{ ${c}; }`).join(" && \\\n  ")], secrets);
}

/** The guide's `su -s /bin/sh -c "COMMAND" USER`: a service's manage command as the service's own user. */
export function asUser(user: string, command: string): string {
  if (/["$`\\]/.test(command)) throw new Error(`Not a plain command for double quotes: ${command}`);
  return `su -s /bin/sh -c "${command}" ${user}`;
}

export function enableAndStart(services: string[]): string {
  return `systemctl enable ${services.join(" ")} && systemctl restart ${services.join(" ")}`;
}

export function isActive(services: string[]): string {
  return services.map((s) => `systemctl is-active -q ${s}`).join(" && ");
}

/**
 * A command printing a multi-line text, one quoted word per line. Exported scripts indent step
 * bodies, which would add spaces inside a quoted multi-line literal; separate words are immune.
 */
export function printLines(text: string): string {
  return `printf '%s\\n' ${text.split("\n").map(shellQuote).join(" ")}`;
}

/** The same text as one shell word (for comparisons with "$(cat FILE)", which drops the last newline). */
export function textWord(text: string): string {
  return `"$(${printLines(text)})"`;
}

/**
 * The service (running) started after every given path last changed, so it runs with the
 * configuration on disk. `systemctl show` without --value: CentOS 7's systemd 219 lacks it.
 */
export function startedAfter(service: string, paths: string[]): string {
  return [
    `started=$(systemctl show -p ActiveEnterTimestamp ${service} | cut -d= -f2-)`,
    `[ -n "$started" ] && [ "$(date -d "$started" +%s)" -gt "$(stat -c %Y ${paths.join(" ")} | sort -n | tail -n 1)" ]`,
  ].join(" && ");
}

/** Part of a value computed on the host: a secret from the environment, escaped for its place. */
export type SecretPart = { secret: ServiceSecret; escape: "dburl" | "oslo" | "url" };
/**
 * A plain value (quoted by shellQuote), or one computed on the host inside double quotes: code
 * text, the host variables ($SP_CONTROLLER_NAME, never a plan value written in) and secrets.
 */
export type SettingValue = string | (string | SecretPart)[];
/** [section, key, value] in an ini file. */
export type IniSetting = [string, string, SettingValue];

/** One shell word for a value. */
export function shellWord(value: SettingValue): string {
  if (typeof value === "string") return shellQuote(value);
  const inside = value.map((part) => {
    if (typeof part !== "string") return `$(printf '%s' "$${part.secret}" | sp_escape ${part.escape})`;
    if (/["`\\]|\$(?!SP_[A-Z_]+\b)/.test(part)) throw new Error(`Not code text for double quotes: ${part}`);
    return part;
  });
  return `"${inside.join("")}"`;
}

/** Check lines (each setting has its value) and apply lines (set each one) for an ini file. */
export function iniSettings(file: string, settings: IniSetting[]): { check: string[]; apply: string[] } {
  return {
    check: settings.map(([section, key, value]) => `[ "$(sp_ini_get ${file} ${section} ${key})" = ${shellWord(value)} ]`),
    apply: settings.map(([section, key, value]) => `printf '%s' ${shellWord(value)} | sp_ini_set ${file} ${section} ${key}`),
  };
}
