import { shellQuote } from "../shell/quote";
import { allSteps, hostsForStep } from "./buildPlaybook";
import type { PlaybookHost, PlaybookInput } from "./playbookInput";
import { DISTRO_FACTS } from "./profiles";
import { scriptLibrary } from "./scriptLibrary";
import type { ServiceSecret } from "./serviceSecrets";
import type { Playbook, Script, Step } from "./types";

/**
 * Plain facts about the host a script runs on; steps read these instead of being built per host.
 * A checked compute of the compute scope also gets its hypervisor type (what its KVM probe
 * decided); an unchecked one decides on the host (see novaCompute.ts).
 */
export function hostVariables(host: PlaybookHost, input: PlaybookInput): Record<string, string> {
  const controller = input.hosts.find((h) => h.role === "controller")!;
  return {
    SP_HOST_NAME: host.name,
    SP_HOST_IP: host.managementIp,
    SP_CONTROLLER_NAME: controller.name,
    SP_CONTROLLER_IP: controller.managementIp,
    // The second NIC's address: the Linux bridge agent carries the provider network on that NIC.
    ...(input.scope === "compute" ? { SP_HOST_PROVIDER_IP: host.natIp || host.managementIp } : {}),
    ...(input.scope === "compute" && host.role === "compute" && host.virtType ? { SP_HOST_VIRT_TYPE: host.virtType } : {}),
  };
}

function exportLines(variables: Record<string, string>): string[] {
  return Object.entries(variables).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
}

/**
 * One script as the runner sends it on stdin: strict mode, the variables (secret values among
 * them, so they never reach a command line), the library, the step's body.
 */
export function scriptForRunner(script: Script, input: PlaybookInput, variables: Record<string, string>): string {
  return [
    "set -eo pipefail",
    "export LC_ALL=C.UTF-8 LANG=C.UTF-8",
    ...exportLines(variables),
    scriptLibrary(DISTRO_FACTS[input.profile]),
    script.body,
    "",
  ].join("\n");
}

/** The secrets a host's steps need, in the tutorial's order. */
export function secretsForHost(playbook: Playbook, host: PlaybookHost): ServiceSecret[] {
  const needed = new Set<ServiceSecret>();
  for (const { step } of allSteps(playbook)) {
    if (!step.roles.includes(host.role)) continue;
    for (const s of [step.check, step.apply, step.verify]) s?.secrets.forEach((name) => needed.add(name));
  }
  return [...needed];
}

/** Variables this host's steps import that no step on this host outputs: set them by hand. */
function importedVariables(playbook: Playbook, host: PlaybookHost): string[] {
  const steps = allSteps(playbook).filter(({ step }) => step.roles.includes(host.role));
  const produced = new Set(steps.flatMap(({ step }) => step.outputs?.names ?? []));
  return [...new Set(steps.flatMap(({ step }) => step.imports ?? []))].filter((name) => !produced.has(name));
}

/** Text for a # comment: a newline in a value would end the comment and start a command. */
function comment(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/**
 * The whole playbook for one host as a standalone bash script: what `npm run plan` writes, so a plan
 * can be reviewed or run by hand. Secrets come from the environment under the tutorial's names.
 */
export function renderHostScript(playbook: Playbook, host: PlaybookHost, input: PlaybookInput): string {
  const secrets = secretsForHost(playbook, host);
  const imports = importedVariables(playbook, host);
  const steps = allSteps(playbook).filter(({ step }) => hostsForStep(step, [host]).length > 0);
  const lines = [
    "#!/bin/bash",
    comment(`# StackPilot playbook for ${host.name} (${host.role}), profile ${input.profile}.`),
    comment(`# Run as root on ${host.name}. Steps already done are skipped; a failed step stops the script.`),
    secrets.length > 0 ? `# Needs these secrets in the environment: ${secrets.join(" ")}` : "# Needs no secrets.",
    ...imports.map((name) => `# Needs ${name}: the value the controller's script prints.`),
    // StackPilot sends these files itself (SFTP); a person running the script copies them first.
    ...steps.flatMap(({ step }) => (step.upload ? [comment(`# Needs ${step.upload.target}: copy the image uploaded in the wizard there first.`)] : [])),
    "set -eo pipefail",
    "export LC_ALL=C.UTF-8 LANG=C.UTF-8",
    ...exportLines(hostVariables(host, input)),
    "",
    scriptLibrary(DISTRO_FACTS[input.profile]),
    [...secrets, ...imports].length > 0 ? `sp_need ${[...secrets, ...imports].join(" ")} || exit 1` : "",
    "",
    ...steps.flatMap(({ phase, step }, i) => renderStep(step, `${phase.title}: ${step.title}`, i + 1, importedElsewhere(playbook, host))),
    `sp_log ${shellQuote(`All steps done on ${host.name}.`)}`,
    "",
  ];
  return lines.join("\n");
}

/** Outputs that steps of another role import: the computes need the controller's public key. */
function importedElsewhere(playbook: Playbook, host: PlaybookHost): Set<string> {
  return new Set(allSteps(playbook).flatMap(({ step }) => (step.roles.some((role) => role !== host.role) ? (step.imports ?? []) : [])));
}

function renderStep(step: Step, title: string, n: number, printed: Set<string>): string[] {
  const fn = (name: string, script: Script | undefined) => (script ? [`step_${n}_${name}() {`, indent(script.body), "}"] : []);
  // What another host's script imports is printed for the person running them by hand; nothing else is.
  const print = (step.outputs?.names ?? []).filter((name) => printed.has(name));
  const printLine = print.length > 0 ? `; case $name in ${print.join("|")}) sp_log "For the other hosts' scripts: $name=$value";; esac` : "";
  const outputs = step.outputs ? [`while IFS='=' read -r name value; do export "$name=$value"${printLine}; done < <(step_${n}_outputs)`] : [];
  return [
    comment(`# --- ${step.key}: ${title}`),
    ...fn("check", step.check),
    ...fn("apply", step.apply),
    ...fn("verify", step.verify),
    ...fn("outputs", step.outputs?.script),
    `sp_log ${shellQuote(`${step.key}: ${step.title}`)}`,
    // errexit is off inside an if condition: run the check outside one, as the runner does.
    ...(step.check ? ["set +e", `(set -e; step_${n}_check) >/dev/null 2>&1`, `done_${n}=$?`, "set -e"] : []),
    step.check ? `if [ "$done_${n}" = 0 ]; then sp_log "  already done, skipped"; else` : "{",
    `  (step_${n}_apply)`,
    step.verify ? `  (step_${n}_verify)` : "",
    step.check ? "fi" : "}",
    ...outputs,
    "",
  ].filter((line) => line !== "");
}

function indent(body: string): string {
  return body
    .split("\n")
    .map((line) => (line === "" ? line : `  ${line}`))
    .join("\n");
}
