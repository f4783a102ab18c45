import { buildPlaybook } from "@/lib/playbook/buildPlaybook";
import { playbookInputFromPlan } from "@/lib/playbook/playbookInput";
import type { PlanView } from "@/lib/plan/planView";
import type { RunOutline } from "@/lib/runs/runView";

/** The phases and step titles of the playbook a deployment ran, rebuilt from its plan snapshot. */
export function runOutline(planSnapshot: string): RunOutline {
  const plan = JSON.parse(planSnapshot) as Pick<PlanView, "profile" | "hosts" | "settings">;
  const playbook = buildPlaybook(playbookInputFromPlan(plan));
  return playbook.phases.map((phase) => ({ key: phase.key, title: phase.title, steps: phase.steps.map((s) => ({ key: s.key, title: s.title })) }));
}
