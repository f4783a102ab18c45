"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { WIZARD_STEPS, type WizardStep } from "@/lib/plan/planView";
import { blocksHostCheck, issuesForStep, validatePlan } from "@/lib/plan/validatePlan";
import { Button } from "../ui/Button";
import { CredentialsStep } from "./CredentialsStep";
import { HostsStep } from "./HostsStep";
import { PasswordsStep } from "./PasswordsStep";
import { ReviewStep } from "./ReviewStep";
import { SaveIndicator } from "./SaveIndicator";
import { StepIndicator, STEP_TITLES } from "./StepIndicator";
import { usePlanDraft } from "./usePlanDraft";

/** The wizard: one page per step, the plan saved as it is typed, "Next" only when the step is valid. */
export function Wizard({ planId, step }: { planId: string; step: WizardStep }) {
  const router = useRouter();
  const planDraft = usePlanDraft(planId);
  const { draft, query, saveState } = planDraft;
  const [triedNext, setTriedNext] = useState(false);
  const issues = useMemo(() => (draft ? validatePlan(draft) : []), [draft]);

  if (query.isError) return <p role="alert" className="text-red-700">Could not load the plan: {query.error.message}</p>;
  if (!draft) return <p>Loading the plan…</p>;

  const stepIssues = issuesForStep(issues, step);
  const stepsWithIssues = new Set(issues.map((i) => i.step));
  const index = WIZARD_STEPS.indexOf(step);
  const goTo = async (target: WizardStep) => {
    await planDraft.saveWithStep(target);
    setTriedNext(false);
    router.push(`/plans/${planId}/${target}`);
  };
  const next = async () => {
    setTriedNext(true);
    // Hosts and logins must be right to go on; passwords can wait (checking hosts needs none).
    if (stepIssues.some(blocksHostCheck)) return;
    await goTo(WIZARD_STEPS[index + 1]);
  };
  const stepProps = { planDraft, draft, issues: stepIssues, showAllErrors: triedNext };

  return (
    <div>
      <StepIndicator planId={planId} current={step} stepsWithIssues={stepsWithIssues} />
      <div className="mb-4 flex items-baseline justify-between gap-4">
        <h1 className="text-2xl font-semibold">{STEP_TITLES[step]}</h1>
        <SaveIndicator state={saveState} onRetry={() => void planDraft.save()} />
      </div>
      {step === "hosts" && <HostsStep {...stepProps} />}
      {step === "credentials" && <CredentialsStep {...stepProps} />}
      {step === "passwords" && <PasswordsStep {...stepProps} />}
      {step === "review" && <ReviewStep {...stepProps} allIssues={issues} />}
      {triedNext && stepIssues.some(blocksHostCheck) && (
        <p role="alert" className="mt-4 text-sm text-red-700">
          Fix the {stepIssues.length} problem{stepIssues.length === 1 ? "" : "s"} marked above to continue.
        </p>
      )}
      <div className="mt-6 flex gap-3">
        {index > 0 && <Button onClick={() => void goTo(WIZARD_STEPS[index - 1])}>Back</Button>}
        {index < WIZARD_STEPS.length - 1 && (
          <Button variant="primary" onClick={() => void next()}>
            Next: {STEP_TITLES[WIZARD_STEPS[index + 1]]}
          </Button>
        )}
      </div>
    </div>
  );
}

export type WizardStepProps = {
  planDraft: ReturnType<typeof usePlanDraft>;
  draft: NonNullable<ReturnType<typeof usePlanDraft>["draft"]>;
  issues: ReturnType<typeof validatePlan>;
  showAllErrors: boolean;
};
