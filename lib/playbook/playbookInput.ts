import type { HostRole, PlanSettings, PlanView } from "../plan/planView";
import type { ProfileName } from "../plan/profiles";

/** What the playbook needs of a plan: hosts and options, never credentials or secret values. */
export type PlaybookHost = { id: string; name: string; role: HostRole; managementIp: string; natIp: string };

export type PlaybookInput = {
  profile: ProfileName;
  hosts: PlaybookHost[];
  options: Omit<PlanSettings, "credentialMode" | "sharedSshUser" | "sharedAuthMethod"> & { managementCidr: string };
};

export function playbookInputFromPlan(plan: Pick<PlanView, "profile" | "hosts" | "settings">): PlaybookInput {
  const hosts = plan.hosts.map((h) => ({ id: h.id, name: h.name.trim(), role: h.role, managementIp: h.managementIp.trim(), natIp: h.natIp.trim() }));
  const { credentialMode: _m, sharedSshUser: _u, sharedAuthMethod: _a, ...options } = plan.settings;
  const controller = hosts.find((h) => h.role === "controller");
  const managementCidr = options.managementCidr.trim() || (controller ? `${controller.managementIp.split(".").slice(0, 3).join(".")}.0/24` : "");
  // Validation trims these too: what was checked is what the scripts get.
  const ntpServer = options.ntpServer.trim();
  const centosRepositoryUrl = options.centosRepositoryUrl.trim();
  return { profile: plan.profile, hosts, options: { ...options, ntpServer, centosRepositoryUrl, managementCidr } };
}
