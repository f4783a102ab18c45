import { randomBytes } from "node:crypto";
import { ALL_SERVICE_SECRETS, serviceSecretKey, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import type { PlanSettings, PlanUpdate } from "@/lib/plan/planView";
import type { LoopbackSshd } from "./loopbackSshd";

/**
 * The plan update for a drill on loopback hosts: the first host is the controller "ct", the others
 * computes "c1", "c2"…, one shared password login, and every service password set.
 */
export function drillPlanUpdate(settings: PlanSettings, hosts: LoopbackSshd[], servicePassword: (name: ServiceSecret) => string): PlanUpdate {
  // Host ids are unique across plans in one database.
  const plan = randomBytes(4).toString("hex");
  return {
    profile: "debian12-zed",
    hosts: hosts.map((h, i) => ({
      id: `drill-${plan}-${i}`,
      name: i === 0 ? "ct" : `c${i}`,
      role: i === 0 ? "controller" : "compute",
      managementIp: h.address,
      natIp: h.address,
      sshPort: h.port,
      sshUser: h.user,
      authMethod: "password",
    })),
    settings: { ...settings, credentialMode: "shared", sharedSshUser: hosts[0].user, sharedAuthMethod: "password" },
    secrets: {
      "ssh.shared.password": hosts[0].password,
      ...Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [serviceSecretKey(name), servicePassword(name)])),
    },
  };
}
