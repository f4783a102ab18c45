"use client";

import { useState } from "react";
import type { StepRunView } from "@/lib/runs/runView";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import type { RunActions } from "./useRunActions";

/** "Retry this step" and "Mark as done by hand" (after a confirmation) for an unfinished step run. */
export function StepRunActions({ stepRun, title, actions }: { stepRun: StepRunView; title: string; actions: RunActions }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const busy = actions.resume.isPending || actions.markDone.isPending;
  const error = actions.markDone.variables === stepRun.id ? actions.markDone.error : null;
  if (confirming) {
    return (
      <span className="flex max-w-xl flex-col gap-1 rounded border border-slate-300 bg-slate-50 p-2 text-xs" role="group" aria-label={t("step.confirmGroup")}>
        <span>{t("step.markDoneQuestion", { title, host: stepRun.hostName })}</span>
        <span className="flex gap-2">
          <Button variant="primary" disabled={busy} onClick={() => actions.markDone.mutate(stepRun.id, { onSettled: () => setConfirming(false) })}>
            {t("step.markDoneYes")}
          </Button>
          <Button onClick={() => setConfirming(false)}>{t("step.markDoneNo")}</Button>
        </span>
      </span>
    );
  }
  return (
    <span className="flex flex-wrap gap-1">
      <Button className="!px-2 !py-0.5 text-xs" disabled={busy} onClick={() => actions.resume.mutate({ onlyStepRunId: stepRun.id })}>
        {t("step.retry")}
      </Button>
      {stepRun.status !== "manual" && (
        <Button className="!px-2 !py-0.5 text-xs" disabled={busy} onClick={() => setConfirming(true)}>
          {t("step.markDone")}
        </Button>
      )}
      {error && (
        <span role="alert" className="text-xs text-red-800">
          {error.message}
        </span>
      )}
    </span>
  );
}
