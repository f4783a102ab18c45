import type { PlanView } from "@/lib/plan/planView";
import type { PlanIssue } from "@/lib/plan/validatePlan";
import type { PlanDraft } from "./usePlanDraft";

/** What the wizard gives each of its pages (Hosts, Credentials, Passwords & options, Review). */
export type WizardStepProps = {
  planDraft: PlanDraft;
  draft: PlanView;
  /** The page's own validation issues. */
  issues: PlanIssue[];
  /** The user tried to go on: every error shows, not only those of fields left already. */
  showAllErrors: boolean;
};
