import type { RunView, StepRunView } from "@/lib/runs/runView";
import { isResumable, isStepDone } from "@/lib/runs/status";
import { StatusBadge } from "./StatusBadge";
import { StepRunActions } from "./StepRunActions";
import { TriagePanel } from "./TriagePanel";
import type { Triage } from "@/lib/runs/triage";
import type { RunActions } from "./useRunActions";

function seconds(step: StepRunView): string {
  if (!step.startedAt) return "";
  const end = step.finishedAt ? Date.parse(step.finishedAt) : Date.now();
  return `${((end - Date.parse(step.startedAt)) / 1000).toFixed(1)} s`;
}

function triageOf(stepRun: StepRunView): Triage | null {
  const result = stepRun.result as { triage?: Triage } | null;
  return result?.triage ?? null;
}

/** Phases with their progress, and each step's state on each of its hosts. */
export function DeployProgress({ run, actions }: { run: RunView; actions: RunActions }) {
  const stopped = isResumable(run.status);
  const byKey = new Map<string, StepRunView[]>();
  for (const stepRun of run.stepRuns) byKey.set(stepRun.stepKey, [...(byKey.get(stepRun.stepKey) ?? []), stepRun]);
  return (
    <ol className="space-y-3" aria-label="Phases">
      {(run.outline ?? []).map((phase) => {
        const phaseRuns = phase.steps.flatMap((s) => byKey.get(s.key) ?? []);
        const done = phaseRuns.filter((s) => isStepDone(s.status)).length;
        return (
          <li key={phase.key} data-testid={`phase-${phase.key}`} className="rounded border border-slate-200 bg-white p-3">
            <div className="mb-2 flex items-center gap-3">
              <h3 className="font-semibold">{phase.title}</h3>
              <span className="text-xs text-slate-600">
                {done}/{phaseRuns.length}
              </span>
              <div className="h-2 flex-1 rounded bg-slate-100" aria-hidden>
                <div className="h-2 rounded bg-green-600" style={{ width: `${phaseRuns.length ? (100 * done) / phaseRuns.length : 0}%` }} />
              </div>
            </div>
            <ul className="space-y-1 text-sm">
              {phase.steps.map((step) => (
                <li key={step.key} className="flex flex-wrap items-start gap-2">
                  <span className="min-w-64 flex-1">{step.title}</span>
                  {(byKey.get(step.key) ?? []).map((stepRun) => (
                    <span key={stepRun.id} className="flex flex-col" data-testid={`step-${step.key}-${stepRun.hostName}`} data-status={stepRun.status}>
                      <span className="flex items-center gap-1">
                        <span className="text-xs text-slate-700">{stepRun.hostName}</span>
                        <StatusBadge status={stepRun.status} />
                        <span className="text-xs text-slate-500">{seconds(stepRun)}</span>
                      </span>
                      {stepRun.error && (
                        <span role="alert" className="max-w-xl text-xs text-red-800">
                          {stepRun.error}
                        </span>
                      )}
                      {stepRun.status === "failed" && triageOf(stepRun) && <TriagePanel triage={triageOf(stepRun)!} />}
                      {stopped && ["failed", "cancelled", "interrupted", "manual"].includes(stepRun.status) && (
                        <StepRunActions stepRun={stepRun} title={step.title} actions={actions} />
                      )}
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ol>
  );
}
