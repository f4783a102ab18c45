import type { LabState } from "@/lab/state";
import type { HostInput, PlanUpdate, PlanView } from "@/lib/plan/planView";
import { sshSecretKey } from "@/lib/plan/secretKeys";

/**
 * The plan update that points a plan at the local lab: its hosts (keeping the ids of hosts with
 * the same name), Debian 12 as the target, and the lab's root password as the one shared login.
 */
export function localLabPlanUpdate(plan: PlanView, lab: LabState, rootPassword: string, newId: () => string): PlanUpdate {
  const hosts: HostInput[] = lab.hosts.map((labHost) => {
    const existing = plan.hosts.find((h) => h.name.trim() === labHost.name);
    return {
      id: existing?.id ?? newId(),
      name: labHost.name,
      role: labHost.role,
      managementIp: labHost.managementIp,
      // Without a second lab network each host's one address stands for both.
      natIp: labHost.providerIp ?? labHost.managementIp,
      sshPort: labHost.sshPort,
      sshUser: lab.rootUser,
      authMethod: "password",
    };
  });
  return {
    profile: "debian12-zed",
    hosts,
    settings: { ...plan.settings, credentialMode: "shared", sharedSshUser: lab.rootUser, sharedAuthMethod: "password" },
    secrets: { [sshSecretKey({ scope: "shared" }, "password")]: rootPassword },
  };
}
