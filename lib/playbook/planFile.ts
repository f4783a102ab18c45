import { z } from "zod";
import { HOST_ROLES, planSettingsSchema } from "../plan/planView";
import { PROFILES } from "../plan/profiles";
import type { PlaybookInput } from "./playbookInput";
import { playbookInputFromPlan, VIRT_TYPES } from "./playbookInput";
import { DEFAULT_SCOPE, PLAYBOOK_SCOPES } from "./scope";

/**
 * A plan as a file (examples/tutorial.plan.json, examples/cloud.plan.json): hosts, options and
 * scope, never secrets. What `npm run plan` reads to print or write the playbook without the UI,
 * and writes back with --format plan (planFileOf).
 */
export const planFileSchema = z.object({
  name: z.string().default("plan"),
  profile: z.enum(PROFILES),
  scope: z.enum(PLAYBOOK_SCOPES).default(DEFAULT_SCOPE),
  hosts: z
    .array(z.object({ name: z.string(), role: z.enum(HOST_ROLES), managementIp: z.string(), natIp: z.string(), virtType: z.enum(VIRT_TYPES).optional() }))
    .min(1),
  settings: planSettingsSchema.partial().default({}),
});
export type PlanFile = z.infer<typeof planFileSchema>;

export function playbookInputFromFile(file: PlanFile): PlaybookInput {
  return playbookInputFromPlan({
    profile: file.profile,
    settings: planSettingsSchema.parse({ ...file.settings, scope: file.scope }),
    hosts: file.hosts.map((h, i) => ({ ...h, id: `host-${i + 1}`, sshPort: 22, sshUser: "root", authMethod: "password", passwordSet: false, privateKeySet: false })),
  });
}

/**
 * The plan file of a playbook input: what playbookInputFromFile reads back to the same input. Settings
 * are kept as the plan has them: an empty network setting stays empty (derived from the hosts).
 */
export function planFileOf(input: PlaybookInput, name: string): PlanFile {
  return {
    name,
    profile: input.profile,
    scope: input.scope,
    hosts: input.hosts.map(({ name, role, managementIp, natIp, virtType }) => ({ name, role, managementIp, natIp, ...(virtType ? { virtType } : {}) })),
    settings: { ...input.options },
  };
}
