import { randomUUID } from "node:crypto";
import type { LabState } from "@/lab/state";
import { serviceSecretKey, type ServiceSecret } from "@/lib/playbook/serviceSecrets";
import type { PlaybookScope } from "@/lib/playbook/scope";
import type { PlanUpdate, PlanView } from "@/lib/plan/planView";
import { localLabPlanUpdate } from "../lab/localLabPlan";
import { LAB_SERVICE_SECRETS } from "./labSecrets";

/**
 * The update that makes a plan ready to deploy on the lab: its hosts and root login (as "Use the
 * local lab" sets them), its management subnet, its scope (the tutorial's unless a test says) and
 * the service passwords the lab tests use.
 */
export function labDeployPlanUpdate(plan: PlanView, lab: LabState, rootPassword: string, scope: PlaybookScope = "tutorial"): PlanUpdate {
  const update = localLabPlanUpdate(plan, lab, rootPassword, randomUUID);
  const services = Object.entries(LAB_SERVICE_SECRETS).map(([name, value]) => [serviceSecretKey(name as ServiceSecret), value]);
  return {
    ...update,
    settings: { ...update.settings!, scope, managementCidr: lab.managementSubnet },
    secrets: { ...update.secrets, ...Object.fromEntries(services) },
  };
}
