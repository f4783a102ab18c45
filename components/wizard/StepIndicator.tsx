import Link from "next/link";
import { WIZARD_STEPS, type WizardStep } from "@/lib/plan/planView";

export const STEP_TITLES: Record<WizardStep, string> = {
  hosts: "Hosts",
  credentials: "Credentials",
  passwords: "Passwords & options",
  review: "Review",
};

/** Where the user is in the wizard; every step is a link, so going back and forth is one click. */
export function StepIndicator({ planId, current, stepsWithIssues }: { planId: string; current: WizardStep; stepsWithIssues: Set<WizardStep> }) {
  const currentIndex = WIZARD_STEPS.indexOf(current);
  return (
    <nav aria-label="Wizard steps" className="mb-6">
      <ol className="flex flex-wrap gap-2">
        {WIZARD_STEPS.map((step, i) => {
          const state = i < currentIndex ? "done" : i === currentIndex ? "current" : "todo";
          return (
            <li key={step}>
              <Link
                href={`/plans/${planId}/${step}`}
                aria-current={state === "current" ? "step" : undefined}
                className={`flex items-center gap-2 rounded-full border px-3 py-1 text-sm ${
                  state === "current" ? "border-blue-700 bg-blue-700 text-white" : state === "done" ? "border-blue-300 bg-blue-50 text-blue-900" : "border-slate-300 bg-white text-slate-700"
                }`}
              >
                <span aria-hidden>{i + 1}</span>
                {STEP_TITLES[step]}
                {stepsWithIssues.has(step) && state !== "current" && <span className="text-amber-700" aria-label="has problems">●</span>}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
