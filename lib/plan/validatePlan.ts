import { isCidr, isHostname, isIPv4, isPort, isPosixUser } from "../net/ipv4";
import { SERVICE_SECRET_LABELS, SERVICE_SECRETS } from "../playbook/serviceSecrets";
import type { HostView, PlanView, WizardStep } from "./planView";

/** A rule a plan breaks, addressed to the form field that shows it. */
export type PlanIssue = {
  step: WizardStep;
  /** The field, e.g. "hosts.1.managementIp", "settings.sharedSshUser", "hosts" for the whole list. */
  path: string;
  message: string;
};

type PlanForValidation = Pick<PlanView, "settings" | "sharedSecrets" | "serviceSecrets" | "hosts">;

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
  const add = (path: string, message: string) => issues.push({ step: "hosts", path, message });

  if (hosts.length === 0) add("hosts", "Add at least one host: the controller.");
  const controllers = hosts.filter((h) => h.role === "controller");
  if (hosts.length > 0 && controllers.length === 0) add("hosts", "Choose one host as the controller.");
  if (controllers.length > 1) {
    add("hosts", `Only one host can be the controller; ${controllers.map((h) => h.name || "(unnamed)").join(", ")} are.`);
  }

  hosts.forEach((host, i) => {
    const at = (field: string) => `hosts.${i}.${field}`;
    const name = host.name.trim();
    if (name === "") add(at("name"), "Enter a host name.");
    else if (!isHostname(name)) {
      add(at("name"), `"${name}" is not a valid host name: use letters, digits and hyphens (not at the start or end), dots between parts.`);
    }
    for (const field of ["managementIp", "natIp"] as const) {
      const value = host[field].trim();
      const label = field === "managementIp" ? "management IP" : "second (NAT) IP";
      if (value === "") add(at(field), `Enter the ${label}.`);
      else if (!isIPv4(value)) add(at(field), `"${value}" is not a valid IPv4 address (four numbers 0-255, like 192.168.100.110).`);
    }
    if (!isPort(host.sshPort)) add(at("sshPort"), `SSH port ${host.sshPort} is out of range: use 1-65535.`);
  });

  flagDuplicates(hosts, (h) => h.name.trim().toLowerCase(), "name", (v) => `Host name "${v}" is used twice.`, add);
  flagDuplicates(hosts, (h) => h.managementIp.trim(), "managementIp", (v) => `Management IP ${v} is used by two hosts.`, add);
  flagDuplicates(hosts, (h) => h.natIp.trim(), "natIp", (v) => `Second IP ${v} is used by two hosts.`, add);
  return issues;
}

/** Marks every host after the first that repeats a value. */
function flagDuplicates(
  hosts: HostView[],
  valueOf: (host: HostView) => string,
  field: string,
  message: (value: string) => string,
  add: (path: string, message: string) => void,
) {
  const seen = new Set<string>();
  hosts.forEach((host, i) => {
    const value = valueOf(host);
    if (value === "") return;
    if (seen.has(value)) add(`hosts.${i}.${field}`, message(value));
    seen.add(value);
  });
}

function validateCredentials(plan: PlanForValidation): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (path: string, message: string) => issues.push({ step: "credentials", path, message });
  const { settings } = plan;

  if (settings.credentialMode === "shared") {
    checkUser(settings.sharedSshUser, "settings.sharedSshUser", add);
    checkSecret(settings.sharedAuthMethod, plan.sharedSecrets, "shared", add);
    return issues;
  }
  plan.hosts.forEach((host, i) => {
    const label = host.name.trim() || `host ${i + 1}`;
    checkUser(host.sshUser, `hosts.${i}.sshUser`, add);
    checkSecret(host.authMethod, host, `hosts.${i}`, add, ` for ${label}`);
  });
  return issues;
}

function validatePasswordsAndOptions({ settings, serviceSecrets }: PlanForValidation): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (path: string, message: string) => issues.push({ step: "passwords", path, message });
  for (const name of SERVICE_SECRETS) {
    if (!serviceSecrets[name]) add(`secrets.${name}`, `Set the ${SERVICE_SECRET_LABELS[name]} (${name}).`);
  }
  const ntp = settings.ntpServer.trim();
  if (!isHostname(ntp) && !isIPv4(ntp)) add("settings.ntpServer", `"${ntp}" is not a host name or IPv4 address of a time server.`);
  const cidr = settings.managementCidr.trim();
  if (cidr !== "" && !isCidr(cidr)) add("settings.managementCidr", `"${cidr}" is not a network like 192.168.100.0/24.`);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(settings.regionName)) add("settings.regionName", "Use letters, digits, - and _ for the region name (RegionOne in the tutorial).");
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(settings.imageName)) add("settings.imageName", "Use letters, digits, ., - and _ for the image name (cirros in the tutorial).");
  if (settings.centosRepository === "custom" && !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%\/-]*)?$/.test(settings.centosRepositoryUrl.trim())) {
    add("settings.centosRepositoryUrl", "Enter the repository's base URL, like http://mirror.example.org/centos-vault.");
  }
  return issues;
}

function checkUser(user: string, path: string, add: (path: string, message: string) => void) {
  if (user.trim() === "") add(path, "Enter the SSH user (root in the tutorial).");
  else if (!isPosixUser(user)) add(path, `"${user}" is not a valid user name.`);
}

function checkSecret(
  method: HostView["authMethod"],
  flags: { passwordSet: boolean; privateKeySet: boolean },
  prefix: string,
  add: (path: string, message: string) => void,
  forWhom = "",
) {
  if (method === "password" && !flags.passwordSet) add(`${prefix}.password`, `Enter the SSH password${forWhom}.`);
  if (method === "key" && !flags.privateKeySet) add(`${prefix}.privateKey`, `Paste the private key${forWhom}.`);
}
