import type { VirtType } from "@/lib/hostcheck/hostCheckResult";
import type { PlanSnapshot } from "@/lib/plan/planDiff";
import type { PlanForRun } from "../store/planStore";

/**
 * A plan as a deployment runs it: each compute carries the hypervisor its host check decided
 * (nova.conf's virt_type), so the run's plan snapshot records it and the outline and report
 * rebuild the same playbook. A compute without one decides on the host when its step runs.
 */
export function withVirtTypes(plan: PlanForRun, virtTypes: ReadonlyMap<string, VirtType>): PlanForRun {
  // Only a compute cloud runs a hypervisor: a tutorial plan's snapshot stays as it was.
  if (plan.view.settings.scope !== "compute") return plan;
  const hosts = plan.view.hosts.map((host) => {
    const virtType = host.role === "compute" ? virtTypes.get(host.id) : undefined;
    return virtType ? { ...host, virtType } : host;
  });
  return { ...plan, view: { ...plan.view, hosts } };
}

/** The hypervisors a run decided when it started, from its plan snapshot: a resume keeps them. */
export function virtTypesOf(snapshot: PlanSnapshot): Map<string, VirtType> {
  const hosts = snapshot.hosts as (PlanSnapshot["hosts"][number] & { virtType?: VirtType })[];
  return new Map(hosts.flatMap((h) => (h.virtType ? [[h.id, h.virtType] as const] : [])));
}
