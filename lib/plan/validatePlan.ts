import { guestImageUnsupportedReason } from "../playbook/guestImage";
import { DISTRO_FACTS } from "../playbook/profiles";
import { translate, type MessageParams } from "../i18n/translate";
import type { MessageKey } from "../i18n/messages";
import { isCidr, isHostname, isIPv4, isPort, isPosixUser } from "../net/ipv4";
import { cidrContains, cidrsOverlap, ipv4Number, validCidr, validIPv4 } from "../net/ipv4Networks";
import { scopeOf } from "../playbook/scope";
import { serviceSecretsFor } from "../playbook/serviceSecrets";
import { planNetworksOf } from "./planNetworks";
import type { HostView, PlanView, WizardStep } from "./planView";

/** What an issue says, as a key of the wizard's catalog (lib/i18n/messages/wizard.ts). */
export type PlanIssueCode = Extract<MessageKey, `plan.issue.${string}`>;

/** A rule a plan breaks, addressed to the form field that shows it. */
export type PlanIssue = {
  step: WizardStep;
  /** The field, e.g. "hosts.1.managementIp", "settings.sharedSshUser", "hosts" for the whole list. */
  path: string;
  /** Stable across languages and releases: the UI shows `t(code, params)`. */
  code: PlanIssueCode;
  params: MessageParams;
  /** The English text, for the API, the CLI and logs. */
  message: string;
};

/** The scope decides which service secrets are needed (the tutorial's when it is not given). */
type PlanForValidation = Pick<PlanView, "settings" | "sharedSecrets" | "serviceSecrets" | "hosts"> & Partial<Pick<PlanView, "profile" | "uploadedImage">>;
type Add = (path: string, code: PlanIssueCode, params?: MessageParams) => void;

/**
 * A value as an issue quotes it: control characters (a line break, NUL) shown as "�", and a long
 * value cut, so a hostile paste cannot reshape the message or bloat it.
 */
export function shownValue(value: string): string {
  const chars = [...value.replace(/[\u0000-\u001f\u007f]/g, "\ufffd")];
  return chars.length > 60 ? `${chars.slice(0, 60).join("")}…` : chars.join("");
}

function collector(step: WizardStep, issues: PlanIssue[]): Add {
  return (path, code, params = {}) => issues.push({ step, path, code, params, message: translate("en", code, params) });
}

/** Every rule a plan must meet before it can be deployed. */
export function validatePlan(plan: PlanForValidation): PlanIssue[] {
  return [...validateHosts(plan.hosts), ...validateCredentials(plan), ...validatePasswordsAndOptions(plan)];
}

/** Checking hosts needs only the hosts and how to log in to them. */
export function blocksHostCheck(issue: PlanIssue): boolean {
  return issue.step === "hosts" || issue.step === "credentials";
}

export function issuesForStep(issues: PlanIssue[], step: WizardStep): PlanIssue[] {
  return issues.filter((issue) => issue.step === step);
}

function validateHosts(hosts: HostView[]): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = collector("hosts", issues);

  if (hosts.length === 0) add("hosts", "plan.issue.noHosts");
  const controllers = hosts.map((h, i) => ({ h, n: i + 1 })).filter(({ h }) => h.role === "controller");
  if (hosts.length > 0 && controllers.length === 0) add("hosts", "plan.issue.noController");
  if (controllers.length > 1) {
    // An unnamed host is named by its number (#2): the same in every language.
    add("hosts", "plan.issue.twoControllers", { names: controllers.map(({ h, n }) => h.name.trim() || `#${n}`).join(", ") });
  }

  hosts.forEach((host, i) => {
    const at = (field: string) => `hosts.${i}.${field}`;
    const name = host.name.trim();
    if (name === "") add(at("name"), "plan.issue.nameMissing");
    else if (!isHostname(name)) add(at("name"), "plan.issue.nameInvalid", { value: shownValue(name) });
    for (const field of ["managementIp", "natIp"] as const) {
      const value = host[field].trim();
      if (value === "") add(at(field), field === "managementIp" ? "plan.issue.managementIpMissing" : "plan.issue.natIpMissing");
      else if (!isIPv4(value)) add(at(field), "plan.issue.ipInvalid", { value: shownValue(value) });
    }
    if (!isPort(host.sshPort)) add(at("sshPort"), "plan.issue.portOutOfRange", { port: host.sshPort });
  });

  flagDuplicates(hosts, (h) => h.name.trim().toLowerCase(), "name", "plan.issue.nameDuplicate", add);
  flagDuplicates(hosts, (h) => h.managementIp.trim(), "managementIp", "plan.issue.managementIpDuplicate", add);
  flagDuplicates(hosts, (h) => h.natIp.trim(), "natIp", "plan.issue.natIpDuplicate", add);
  return issues;
}

/** Marks every host after the first that repeats a value. */
function flagDuplicates(hosts: HostView[], valueOf: (host: HostView) => string, field: string, code: PlanIssueCode, add: Add) {
  const seen = new Set<string>();
  hosts.forEach((host, i) => {
    const value = valueOf(host);
    if (value === "") return;
    if (seen.has(value)) add(`hosts.${i}.${field}`, code, { value: shownValue(value) });
    seen.add(value);
  });
}

function validateCredentials(plan: PlanForValidation): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = collector("credentials", issues);
  const { settings } = plan;

  if (settings.credentialMode === "shared") {
    checkUser(settings.sharedSshUser, "settings.sharedSshUser", add);
    checkSecret(settings.sharedAuthMethod, plan.sharedSecrets, "shared", add, { kind: "shared" });
    return issues;
  }
  plan.hosts.forEach((host, i) => {
    const name = host.name.trim();
    checkUser(host.sshUser, `hosts.${i}.sshUser`, add);
    checkSecret(host.authMethod, host, `hosts.${i}`, add, name ? { kind: "named", host: name } : { kind: "numbered", n: i + 1 });
  });
  return issues;
}

function validatePasswordsAndOptions({ settings, serviceSecrets, hosts, profile, uploadedImage }: PlanForValidation): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = collector("passwords", issues);
  for (const name of serviceSecretsFor(settings.scope)) {
    if (!serviceSecrets[name]) add(`secrets.${name}`, `plan.issue.serviceSecretMissing.${name}`);
  }
  const ntp = settings.ntpServer.trim();
  if (!isHostname(ntp) && !isIPv4(ntp)) add("settings.ntpServer", "plan.issue.ntpInvalid", { value: shownValue(ntp) });
  const cidr = settings.managementCidr.trim();
  if (cidr !== "" && !isCidr(cidr)) add("settings.managementCidr", "plan.issue.cidrInvalid", { value: shownValue(cidr) });
  // Both become command arguments: a leading "-" would read as an option, a leading "." as a path.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(settings.regionName)) add("settings.regionName", "plan.issue.regionInvalid");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(settings.imageName)) add("settings.imageName", "plan.issue.imageInvalid");
  if (settings.centosRepository === "custom" && !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%\/-]*)?$/.test(settings.centosRepositoryUrl.trim())) {
    add("settings.centosRepositoryUrl", "plan.issue.repositoryUrlInvalid");
  }
  if (scopeOf(settings) === "compute") {
    validateNetworks(settings, hosts, add);
    // The closing check boots VMs: where no test guest can be built, they boot the user's image.
    if (profile && guestImageUnsupportedReason(DISTRO_FACTS[profile]) && !uploadedImage) add("settings.imageName", "plan.issue.imageNeededForVms");
  }
  return issues;
}

const NETWORK_CIDRS = ["providerCidr", "selfServiceCidr"] as const;
const NETWORK_ADDRESSES = ["providerGateway", "floatingIpStart", "floatingIpEnd"] as const;

/**
 * The compute scope's networks as the playbook will use them (given, or derived from the hosts):
 * each rule judges the effective value and is shown on the field that holds it, so a derived value
 * that collides is reported where typing a value fixes it. A value refused for its form (or derived
 * from a host's refused IP) takes part in no other rule: one typo, one message.
 */
function validateNetworks(settings: PlanForValidation["settings"], hosts: HostView[], add: Add) {
  const given = (key: (typeof NETWORK_CIDRS)[number] | (typeof NETWORK_ADDRESSES)[number]) => settings[key].trim();
  for (const key of NETWORK_CIDRS) if (given(key) !== "" && !isCidr(given(key))) add(`settings.${key}`, "plan.issue.cidrInvalid", { value: shownValue(given(key)) });
  for (const key of NETWORK_ADDRESSES) if (given(key) !== "" && !isIPv4(given(key))) add(`settings.${key}`, "plan.issue.ipInvalid", { value: shownValue(given(key)) });

  const derived = planNetworksOf({ settings, hosts });
  const provider = validCidr(derived.providerCidr);
  const selfService = validCidr(derived.selfServiceCidr);
  // Addresses derived from a refused provider network mean nothing either.
  const derivedFromRefused = (key: (typeof NETWORK_ADDRESSES)[number]) => given("providerCidr") !== "" && !provider && given(key) === "";
  const address = (key: (typeof NETWORK_ADDRESSES)[number]) => (derivedFromRefused(key) ? null : validIPv4(derived[key]));
  const gateway = address("providerGateway");
  const [start, end] = [address("floatingIpStart"), address("floatingIpEnd")];

  if (provider && gateway && !cidrContains(provider, gateway)) add("settings.providerGateway", "plan.issue.gatewayOutsideProvider", { value: gateway, cidr: provider });
  if (provider && start && !cidrContains(provider, start)) add("settings.floatingIpStart", "plan.issue.floatingOutsideProvider", { value: start, cidr: provider });
  if (provider && end && !cidrContains(provider, end)) add("settings.floatingIpEnd", "plan.issue.floatingOutsideProvider", { value: end, cidr: provider });

  if (start && end && ipv4Number(start) > ipv4Number(end)) add("settings.floatingIpEnd", "plan.issue.floatingRangeReversed", { start, end });
  else if (start && end) {
    const inRange = (ip: string) => isIPv4(ip) && ipv4Number(ip) >= ipv4Number(start) && ipv4Number(ip) <= ipv4Number(end);
    const taken = hosts.map((h, i) => ({ name: h.name.trim(), natIp: h.natIp.trim(), n: i + 1 })).filter((h) => inRange(h.natIp));
    if (taken.length > 0) {
      const names = taken.map(({ name, natIp, n }) => `${shownValue(name) || `#${n}`} (${natIp})`).join(", ");
      add("settings.floatingIpStart", "plan.issue.floatingHasHostIp", { start, end, hosts: names });
    }
    if (gateway && inRange(gateway)) {
      // The gateway typed into a derived range: moving the gateway is the fix; otherwise the range is.
      const gatewayToMove = given("providerGateway") !== "" && given("floatingIpStart") === "" && given("floatingIpEnd") === "";
      add(gatewayToMove ? "settings.providerGateway" : "settings.floatingIpStart", "plan.issue.floatingHasGateway", { gateway, start, end });
    }
  }

  if (selfService && provider && cidrsOverlap(selfService, provider)) add("settings.selfServiceCidr", "plan.issue.selfServiceOverlapsProvider", { cidr: selfService, provider });
  const management = validCidr(managementNetworkOf(settings, hosts));
  if (selfService && management && cidrsOverlap(selfService, management)) add("settings.selfServiceCidr", "plan.issue.selfServiceOverlapsManagement", { cidr: selfService, management });
}

/** The network chrony serves, as the playbook derives it (lib/playbook/playbookInput.ts): given, or the controller's management /24. */
function managementNetworkOf(settings: PlanForValidation["settings"], hosts: HostView[]): string {
  const controller = hosts.find((h) => h.role === "controller");
  return settings.managementCidr.trim() || (controller ? `${controller.managementIp.trim().split(".").slice(0, 3).join(".")}.0/24` : "");
}

function checkUser(user: string, path: string, add: Add) {
  if (user.trim() === "") add(path, "plan.issue.sshUserMissing");
  else if (!isPosixUser(user)) add(path, "plan.issue.sshUserInvalid", { value: shownValue(user) });
}

type Whom = { kind: "shared" } | { kind: "named"; host: string } | { kind: "numbered"; n: number };

function checkSecret(method: HostView["authMethod"], flags: { passwordSet: boolean; privateKeySet: boolean }, prefix: string, add: Add, whom: Whom) {
  const missing = (base: "plan.issue.sshPasswordMissing" | "plan.issue.privateKeyMissing", path: string) => {
    if (whom.kind === "shared") add(path, base);
    else if (whom.kind === "named") add(path, `${base}For`, { host: whom.host });
    else add(path, `${base}ForNumber`, { n: whom.n });
  };
  if (method === "password" && !flags.passwordSet) missing("plan.issue.sshPasswordMissing", `${prefix}.password`);
  if (method === "key" && !flags.privateKeySet) missing("plan.issue.privateKeyMissing", `${prefix}.privateKey`);
}
