"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { MouseEvent } from "react";
import { api, queryKeys } from "@/lib/api/apiClient";
import type { MessageKey } from "@/lib/i18n/messages";
import { WIZARD_STEPS, type WizardStep } from "@/lib/plan/planView";
import { useI18n } from "../i18n/I18nProvider";
import { FOCUS_RING } from "../ui/styles";

/** The wizard's pages and, after them, the deployment's dashboard. */
export type IndicatorStep = WizardStep | "deploy";

export const STEP_TITLE_KEYS: Record<IndicatorStep, MessageKey> = {
  hosts: "wizard.step.hosts",
  credentials: "wizard.step.credentials",
  passwords: "wizard.step.passwords",
  review: "wizard.step.review",
  deploy: "wizard.step.deploy",
};

const PILL = "flex items-center gap-2 whitespace-nowrap rounded-full border px-3 py-1 text-sm";
const STATE_LOOK = {
  current: "border-blue-700 bg-blue-700 text-white",
  done: "border-blue-300 bg-blue-50 text-blue-900 hover:bg-blue-100",
  todo: "border-slate-400 bg-white text-slate-700 hover:bg-slate-100",
} as const;

/**
 * Where the user is: Hosts → Credentials → Passwords & options → Review & preview → Deploy. Every
 * wizard step is a link, so going back and forth is one click; Deploy links to the plan's latest
 * deployment once there is one. `onNavigate` (the wizard's) saves before leaving a page.
 */
export function StepIndicator({
  planId,
  current,
  stepsWithIssues = new Set(),
  onNavigate,
}: {
  planId: string;
  current: IndicatorStep;
  stepsWithIssues?: Set<WizardStep>;
  onNavigate?: (step: WizardStep) => void;
}) {
  const { t } = useI18n();
  const lastDeploy = useQuery({ queryKey: queryKeys.latestRun(planId, "deploy"), queryFn: () => api.latestRun(planId, "deploy") });
  const order: IndicatorStep[] = [...WIZARD_STEPS, "deploy"];
  const currentIndex = order.indexOf(current);
  const stateOf = (i: number) => (i < currentIndex ? "done" : i === currentIndex ? "current" : "todo");
  const follow = (step: WizardStep) => (event: MouseEvent<HTMLAnchorElement>) => {
    // A plain click (or Enter) goes through the wizard; a new tab or window is the browser's.
    if (!onNavigate || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onNavigate(step);
  };
  const deployRun = lastDeploy.data;

  return (
    <nav aria-label={t("wizard.steps.label")} className="mb-6">
      <ol className="flex flex-wrap items-center gap-2">
        {WIZARD_STEPS.map((step, i) => {
          const state = stateOf(i);
          return (
            <li key={step}>
              <Link
                href={`/plans/${planId}/${step}`}
                onClick={follow(step)}
                aria-current={state === "current" ? "step" : undefined}
                className={`${PILL} ${STATE_LOOK[state]} ${FOCUS_RING}`}
              >
                <span aria-hidden>{i + 1}</span>
                {t(STEP_TITLE_KEYS[step])}
                {stepsWithIssues.has(step) && state !== "current" && (
                  <>
                    <span className="text-amber-700" aria-hidden>
                      ●
                    </span>
                    <span className="sr-only">{t("wizard.steps.hasProblems")}</span>
                  </>
                )}
              </Link>
            </li>
          );
        })}
        <li>
          {deployRun ? (
            <Link
              href={`/runs/${deployRun.id}`}
              aria-current={current === "deploy" ? "step" : undefined}
              className={`${PILL} ${STATE_LOOK[stateOf(order.length - 1)]} ${FOCUS_RING}`}
            >
              <span aria-hidden>{order.length}</span>
              {t(STEP_TITLE_KEYS.deploy)}
            </Link>
          ) : (
            // No deployment yet: shown as the step after the review, reached with its Deploy button.
            <span aria-current={current === "deploy" ? "step" : undefined} className={`${PILL} border-dashed border-slate-400 bg-white text-slate-700`}>
              <span aria-hidden>{order.length}</span>
              {t(STEP_TITLE_KEYS.deploy)}
              <span className="sr-only">{t("wizard.steps.deployNotYet")}</span>
            </span>
          )}
        </li>
      </ol>
    </nav>
  );
}
