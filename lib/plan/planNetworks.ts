import { networkOptionsOf, type NetworkOptions } from "../playbook/networkOptions";
import type { PlanView } from "./planView";

/**
 * The compute scope's networks of a plan as entered: the values typed, and for the empty ones what
 * the playbook will derive from the hosts (read trimmed, as playbookInputFromPlan reads them).
 * What the wizard shows as placeholders and on Review, and what validatePlan judges.
 */
export function planNetworksOf(plan: Pick<PlanView, "settings" | "hosts">): NetworkOptions {
  const hosts = plan.hosts.map((h) => ({ id: h.id, name: h.name.trim(), role: h.role, managementIp: h.managementIp.trim(), natIp: h.natIp.trim() }));
  return networkOptionsOf({ hosts, options: plan.settings });
}
