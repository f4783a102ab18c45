"use client";

import { formatDuration } from "@/lib/runs/duration";
import type { TransferView } from "@/lib/realtime/runEvents";
import type { RunOutline, RunView, StepRunView } from "@/lib/runs/runView";
import { isResumable, isStepDone } from "@/lib/runs/status";
import type { Triage } from "@/lib/runs/triage";
import { useI18n } from "../i18n/I18nProvider";
import { StatusBadge } from "./StatusBadge";
import { StepRunActions } from "./StepRunActions";
import { TransferBar } from "./TransferBar";
import { TriagePanel } from "./TriagePanel";
import { useNow } from "./useNow";
import type { RunActions } from "./useRunActions";

function triageOf(stepRun: StepRunView): Triage | null {
  const result = stepRun.result as { triage?: Triage } | null;
  return result?.triage ?? null;
}

/** How long a step run took, or has been running; null before it started (or while it waits to run again). */
function tookMs(step: StepRunView, now: number): number | null {
  if (!step.startedAt || step.status === "pending") return null;
  const end = step.status === "running" ? now : step.finishedAt ? Date.parse(step.finishedAt) : null;
  return end === null ? null : Math.max(0, end - Date.parse(step.startedAt));
}

/** A phase's time: from its first step's start to its last step's end (now while one runs). */
function phaseMs(runs: StepRunView[], now: number): number | null {
  const started = runs.filter((s) => s.startedAt && s.status !== "pending");
  if (started.length === 0) return null;
  const start = Math.min(...started.map((s) => Date.parse(s.startedAt!)));
  const end = Math.max(...started.map((s) => (s.status === "running" ? now : s.finishedAt ? Date.parse(s.finishedAt) : Date.parse(s.startedAt!))));
  return Math.max(0, end - start);
}

/**
 * Phases with their progress and time, and each step's state on each of its hosts: status, host,
 * attempt and duration. A step's title shows only its log lines in the log below (click again for
 * all of them). `outline` holds the titles already in the reader's language.
 */
export function DeployProgress({
  run,
  outline,
  actions,
  logStep,
  onShowLog,
  messageText = (message) => message,
  transfers,
}: {
  run: RunView;
  outline: RunOutline;
  actions: RunActions;
  logStep?: string;
  onShowLog?: (stepKey: string) => void;
  /** The runner's messages (a step's error) in the reader's language. */
  messageText?: (message: string) => string;
  /** File transfers under way, by step run id (the uploaded image to the controller). */
  transfers?: ReadonlyMap<string, TransferView>;
}) {
  const { t } = useI18n();
  const now = useNow(run.stepRuns.some((s) => s.status === "running"));
  const stopped = isResumable(run.status);
  const byKey = new Map<string, StepRunView[]>();
  for (const stepRun of run.stepRuns) byKey.set(stepRun.stepKey, [...(byKey.get(stepRun.stepKey) ?? []), stepRun]);
  return (
    <ol className="space-y-3" aria-label={t("phases.label")}>
      {outline.map((phase) => {
        const phaseRuns = phase.steps.flatMap((s) => byKey.get(s.key) ?? []);
        const done = phaseRuns.filter((s) => isStepDone(s.status)).length;
        const failed = phaseRuns.some((s) => s.status === "failed");
        const took = phaseMs(phaseRuns, now);
        return (
          <li key={phase.key} data-testid={`phase-${phase.key}`} className="rounded border border-slate-200 bg-white p-3">
            <div className="mb-2 flex items-center gap-3">
              <h3 className="font-semibold">{phase.title}</h3>
              <span className="text-xs text-slate-600" data-testid={`phase-progress-${phase.key}`}>
                {t("phases.progress", { done, total: phaseRuns.length })}
              </span>
              <div
                className="h-2 flex-1 rounded bg-slate-100"
                role="progressbar"
                aria-label={t("phases.progressLabel", { phase: phase.title })}
                aria-valuemin={0}
                aria-valuemax={phaseRuns.length}
                aria-valuenow={done}
              >
                <div className={`h-2 rounded ${failed ? "bg-red-600" : "bg-green-600"}`} style={{ width: `${phaseRuns.length ? (100 * done) / phaseRuns.length : 0}%` }} />
              </div>
              <span className="min-w-16 text-right text-xs tabular-nums text-slate-600" data-testid={`phase-duration-${phase.key}`}>
                {took === null ? "" : formatDuration(took, t)}
              </span>
            </div>
            <ul className="space-y-1 text-sm">
              {phase.steps.map((step) => {
                const selected = logStep === step.key;
                return (
                  <li key={step.key} data-testid={`step-row-${step.key}`} className={`flex flex-wrap items-start gap-2 rounded px-1 ${selected ? "bg-blue-50 ring-1 ring-blue-300" : ""}`}>
                    <button
                      type="button"
                      className="min-w-64 flex-1 cursor-pointer text-left hover:text-blue-800 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-600"
                      aria-pressed={selected}
                      title={selected ? t("step.showingLog") : t("step.showLog")}
                      onClick={() => onShowLog?.(step.key)}
                    >
                      {step.title}
                    </button>
                    {(byKey.get(step.key) ?? []).map((stepRun) => {
                      const ms = tookMs(stepRun, now);
                      const triage = stepRun.status === "failed" ? triageOf(stepRun) : null;
                      return (
                        <span key={stepRun.id} className="flex flex-col" data-testid={`step-${step.key}-${stepRun.hostName}`} data-status={stepRun.status}>
                          <span className="flex items-center gap-1">
                            <span className="text-xs font-medium text-slate-700">{stepRun.hostName}</span>
                            <StatusBadge status={stepRun.status} />
                            {stepRun.attempt > 0 && (
                              <span className="text-xs text-slate-500" data-testid="step-attempt">
                                {t("step.attempt", { n: stepRun.attempt })}
                              </span>
                            )}
                            {stepRun.attempt > 0 && ms !== null && (
                              <span aria-hidden className="text-xs text-slate-400">
                                ·
                              </span>
                            )}
                            <span className="text-xs tabular-nums text-slate-500" data-testid="step-duration">
                              {ms === null ? "" : formatDuration(ms, t)}
                            </span>
                          </span>
                          {stepRun.status === "running" && transfers?.get(stepRun.id) && <TransferBar transfer={transfers.get(stepRun.id)!} hostName={stepRun.hostName} />}
                          {stepRun.error && (
                            <span role="alert" className="max-w-xl text-xs text-red-800">
                              {messageText(stepRun.error)}
                            </span>
                          )}
                          {triage && <TriagePanel triage={triage} />}
                          {stopped && ["failed", "cancelled", "interrupted", "manual"].includes(stepRun.status) && <StepRunActions stepRun={stepRun} title={step.title} actions={actions} />}
                        </span>
                      );
                    })}
                  </li>
                );
              })}
            </ul>
          </li>
        );
      })}
    </ol>
  );
}
