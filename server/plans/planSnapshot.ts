import { createHash } from "node:crypto";
import type { PlanView } from "@/lib/plan/planView";

/**
 * What a run remembers of its plan: everything the user entered except secret values (the view
 * never holds them) and bookkeeping that does not change what runs. The hash lets a later resume
 * tell whether the plan changed since.
 */
export function snapshotPlan(view: PlanView): { snapshot: string; hash: string } {
  const { updatedAt: _updatedAt, wizardStep: _wizardStep, ...meaningful } = view;
  const snapshot = JSON.stringify(meaningful);
  return { snapshot, hash: createHash("sha256").update(snapshot).digest("hex") };
}
