"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { WIZARD_STEPS, type WizardStep } from "@/lib/plan/planView";
import { blocksHostCheck, issuesForStep, validatePlan } from "@/lib/plan/validatePlan";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import { CredentialsStep } from "./CredentialsStep";
import { HostsStep } from "./HostsStep";
import { PasswordsStep } from "./PasswordsStep";
import { ReviewStep } from "./ReviewStep";
import { SaveIndicator } from "./SaveIndicator";
import { StepIndicator, STEP_TITLE_KEYS } from "./StepIndicator";
import { usePlanDraft } from "./usePlanDraft";

/**
 * Set when the user moves between the wizard's pages: the new page's heading then takes the
 * keyboard focus, so Tab goes on from the top of the new page (not from the start of the document).
 */
let focusHeadingOnArrival = false;

/** The wizard: one page per step, the plan saved as it is typed, "Next" only when the step is valid. */
export function Wizard({ planId, step }: { planId: string; step: WizardStep }) {
  const router = useRouter();
  const { t } = useI18n();
  const planDraft = usePlanDraft(planId);
  const { draft, query, saveState } = planDraft;
  const [triedNext, setTriedNext] = useState(false);
  const issues = useMemo(() => (draft ? validatePlan(draft) : []), [draft]);
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = draft !== null;

  useEffect(() => {
    if (loaded && focusHeadingOnArrival) {
      focusHeadingOnArrival = false;
      heading.current?.focus();
    }
  }, [loaded, step]);

  if (query.isError) return <p role="alert" className="text-red-700">{t("wizard.loadError", { error: query.error.message })}</p>;
  if (!draft) return <p>{t("wizard.loading")}</p>;

  const stepIssues = issuesForStep(issues, step);
  const stepsWithIssues = new Set(issues.map((i) => i.step));
  const index = WIZARD_STEPS.indexOf(step);
  /**
   * Saves what is typed (and where the user is), then opens the page. When something typed here
   * is not stored (refused, or the save failed), the user is asked first and can stay to fix it.
   */
  const goTo = async (target: WizardStep) => {
    if (!(await planDraft.saveWithStep(target))) {
      const count = planDraft.unsavedCount();
      const question = count === 0 ? t("wizard.leave.confirmUnsaved") : t(count === 1 ? "wizard.leave.confirm.one" : "wizard.leave.confirm.other", { count });
      if (!window.confirm(question)) {
        // Staying: the plan reopens here, and the keyboard goes to the first field at fault.
        void planDraft.saveWithStep(step);
        document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus();
        return;
      }
    }
    setTriedNext(false);
    focusHeadingOnArrival = true;
    router.push(`/plans/${planId}/${target}`);
  };
  const next = async () => {
    setTriedNext(true);
    // Hosts and logins must be right to go on; passwords can wait (checking hosts needs none).
    if (stepIssues.some(blocksHostCheck)) return;
    await goTo(WIZARD_STEPS[index + 1]);
  };
  const stepProps = { planDraft, draft, issues: stepIssues, showAllErrors: triedNext };
  const blocking = stepIssues.filter(blocksHostCheck).length;

  return (
    <div>
      <StepIndicator planId={planId} current={step} stepsWithIssues={stepsWithIssues} onNavigate={(target) => void goTo(target)} />
      <div className="mb-4 flex items-baseline justify-between gap-4">
        {/* Focused by script only (tabIndex -1) when arriving from another step: no ring around a heading. */}
        <h1 ref={heading} tabIndex={-1} className="text-2xl font-semibold" style={{ outline: "none" }}>
          {t(STEP_TITLE_KEYS[step])}
        </h1>
        <SaveIndicator state={saveState} onRetry={() => void planDraft.save()} />
      </div>
      {step === "hosts" && <HostsStep {...stepProps} />}
      {step === "credentials" && <CredentialsStep {...stepProps} />}
      {step === "passwords" && <PasswordsStep {...stepProps} />}
      {step === "review" && <ReviewStep {...stepProps} allIssues={issues} goTo={(target) => void goTo(target)} />}
      {triedNext && blocking > 0 && (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {t(blocking === 1 ? "wizard.fixProblems.one" : "wizard.fixProblems.other", { count: blocking })}
        </p>
      )}
      <div className="mt-6 flex gap-3">
        {index > 0 && <Button onClick={() => void goTo(WIZARD_STEPS[index - 1])}>{t("wizard.back")}</Button>}
        {index < WIZARD_STEPS.length - 1 && (
          <Button variant="primary" onClick={() => void next()}>
            {t("wizard.next", { step: t(STEP_TITLE_KEYS[WIZARD_STEPS[index + 1]]) })}
          </Button>
        )}
      </div>
    </div>
  );
}
