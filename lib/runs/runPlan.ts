import { buildPlaybook } from "../playbook/buildPlaybook";
import { networkOptionsOf } from "../playbook/networkOptions";
import { playbookInputFromPlan, type VirtType } from "../playbook/playbookInput";
import { topologyNetworks, type TopologyNetworks } from "../topology/topologySvg";
import { scopeOf, type PlaybookScope } from "../playbook/scope";
import type { PortExpectationView, RunHost, RunOutline } from "./runView";

/**
 * What the dashboard shows of a deployment's plan besides its steps: its scope, the hosts (names,
 * roles, both IPs, a compute's hypervisor type when the plan records it; never credentials) and
 * the service ports the run's steps check. The ports come from the plan's playbook, kept only
 * for the steps this run has (a run of another playbook, like the test drills, checks none of
 * them). Pure.
 */
export type RunPlanFacts = {
  scope: PlaybookScope;
  hosts: (RunHost & { virtType?: VirtType })[];
  ports: PortExpectationView[];
  /** The compute scope's Neutron networks, for the topology. */
  networks?: TopologyNetworks;
};

/** A plan as stored, or as a run's snapshot has it (a snapshot from before scopes has no scope: the tutorial's). */
type RunPlan = Parameters<typeof playbookInputFromPlan>[0];

export function runPlanFacts(plan: RunPlan, outline: RunOutline): RunPlanFacts {
  const hosts = plan.hosts.map((h) => ({
    name: h.name.trim(),
    role: h.role,
    managementIp: h.managementIp.trim(),
    natIp: h.natIp.trim(),
    ...(h.virtType ? { virtType: h.virtType } : {}),
  }));
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
  const scope = scopeOf(plan.settings);
  return scope === "compute" ? { scope, hosts, ports, networks: topologyNetworks(networkOptionsOf(playbookInputFromPlan(plan))) } : { scope, hosts, ports };
}
