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
    settings: { ...settings, credentialMode: "shared", sharedSshUser: hosts[0].user, sharedAuthMethod: "password", ...freeFloatingRange(hosts) },
    secrets: {
      "ssh.shared.password": hosts[0].password,
      ...Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [serviceSecretKey(name), servicePassword(name)])),
    },
  };
}

/**
 * Loopback hosts sit anywhere in 127.0.0.0/24, so the floating IPs the compute scope derives
 * (.200-.249) can be theirs, which validatePlan refuses: ten addresses of that network no host uses
 * (from .2: .1 is the derived gateway).
 */
function freeFloatingRange(hosts: LoopbackSshd[]): Pick<PlanSettings, "floatingIpStart" | "floatingIpEnd"> {
  const prefix = hosts[0].address.split(".").slice(0, 3).join(".");
  const used = new Set(hosts.map((h) => h.address));
  for (let start = 2; start + 9 < 255; start += 10) {
    const range = Array.from({ length: 10 }, (_, i) => `${prefix}.${start + i}`);
    if (range.every((ip) => !used.has(ip))) return { floatingIpStart: range[0], floatingIpEnd: range[9] };
  }
  throw new Error("No ten free addresses for floating IPs beside the drill's hosts.");
}
