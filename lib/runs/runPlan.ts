import type { PlanView } from "../plan/planView";
import { buildPlaybook } from "../playbook/buildPlaybook";
import { playbookInputFromPlan } from "../playbook/playbookInput";
import type { PortExpectationView, RunHost, RunOutline } from "./runView";

/**
 * What the dashboard shows of a deployment's plan besides its steps: the hosts (names, roles,
 * both IPs; never credentials) and the service ports the run's steps check. The ports come from
 * the tutorial's playbook, kept only for the steps this run has (a run of another playbook, like
 * the test drills, checks none of them). Pure.
 */
export type RunPlanFacts = { hosts: RunHost[]; ports: PortExpectationView[] };

export function runPlanFacts(plan: Pick<PlanView, "profile" | "hosts" | "settings">, outline: RunOutline): RunPlanFacts {
  const hosts = plan.hosts.map((h) => ({ name: h.name.trim(), role: h.role, managementIp: h.managementIp.trim(), natIp: h.natIp.trim() }));
  const stepKeys = new Set(outline.flatMap((phase) => phase.steps.map((s) => s.key)));
  let ports: PortExpectationView[] = [];
  try {
    const playbook = buildPlaybook(playbookInputFromPlan(plan));
    ports = playbook.phases
      .flatMap((phase) => phase.steps)
      .filter((step) => stepKeys.has(step.key))
      .flatMap((step) => (step.ports ?? []).map((p) => ({ stepKey: step.key, port: p.port, label: p.label, on: p.on, fromRoles: [...p.fromRoles] })));
  } catch {
    // A plan the playbook cannot be built for (no controller) checks no ports.
  }
  return { hosts, ports };
}
