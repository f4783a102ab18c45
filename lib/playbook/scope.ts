/**
 * How much of the install guide a plan deploys. "tutorial": Identity and images, the tutorial's
 * phases exactly. "compute": the same, then Placement and Nova on the controller and the computes.
 */
export const PLAYBOOK_SCOPES = ["tutorial", "compute"] as const;
export type PlaybookScope = (typeof PLAYBOOK_SCOPES)[number];

/**
 * The scope of a plan that does not name one: a plan stored before scopes existed, a plan file
 * without "scope". It keeps the playbook it had.
 */
export const DEFAULT_SCOPE: PlaybookScope = "tutorial";

/** The scope plan settings (stored, or a run's snapshot) say; none, or one unknown: DEFAULT_SCOPE. */
export function scopeOf(settings: { scope?: unknown } | null | undefined): PlaybookScope {
  return PLAYBOOK_SCOPES.find((scope) => scope === settings?.scope) ?? DEFAULT_SCOPE;
}

/** What a plan created in the wizard starts with: a cloud that runs VMs. */
export const NEW_PLAN_SCOPE: PlaybookScope = "compute";
