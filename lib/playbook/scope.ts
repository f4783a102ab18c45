/**
 * How much of the install guide a plan deploys. "tutorial": Identity and images, the tutorial's
 * phases exactly. "compute": the same, then Placement and Nova on the controller and the computes.
 */
export const PLAYBOOK_SCOPES = ["tutorial", "compute"] as const;
export type PlaybookScope = (typeof PLAYBOOK_SCOPES)[number];

/** What every plan gets until it says otherwise: the playbook it had before scopes existed. */
export const DEFAULT_SCOPE: PlaybookScope = "tutorial";
