"use client";

import { useState } from "react";
import type { RunView } from "@/lib/runs/runView";
import { isResumable } from "@/lib/runs/status";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import type { RunActions } from "./useRunActions";

const RESUMABLE = ["failed", "interrupted", "cancelled", "paused"] as const;
type Resumable = (typeof RESUMABLE)[number];

/** Resume or cancel a deployment, and the plan's changes to accept before resuming. */
export function RunControls({ run, actions }: { run: RunView; actions: RunActions }) {
  const { t } = useI18n();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { resume, cancel, pendingChanges } = actions;
  const resumeError = resume.error && !pendingChanges ? resume.error.message : null;
  const resumable = isResumable(run.status) && (RESUMABLE as readonly string[]).includes(run.status) ? (run.status as Resumable) : null;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        {resumable && (
          <Button variant="primary" disabled={resume.isPending} onClick={() => resume.mutate({})}>
            {resume.isPending ? t("controls.resuming") : t(`controls.resume.${resumable}`)}
          </Button>
        )}
        {run.status === "running" &&
          (confirmCancel ? (
            <span className="flex items-center gap-2 text-sm">
              {t("controls.cancelQuestion")}
              <Button variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate(undefined, { onSettled: () => setConfirmCancel(false) })}>
                {t("controls.cancelYes")}
              </Button>
              <Button onClick={() => setConfirmCancel(false)}>{t("controls.cancelNo")}</Button>
            </span>
          ) : (
            <Button variant="danger" onClick={() => setConfirmCancel(true)}>
              {t("controls.cancel")}
            </Button>
          ))}
      </div>
      {(resumeError || cancel.error) && (
        <p role="alert" className="text-sm text-red-800">
          {resumeError ?? cancel.error?.message}
        </p>
      )}
      {pendingChanges && (
        <section aria-labelledby="plan-changes-heading" className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="plan-changes">
          <h2 id="plan-changes-heading" className="font-semibold">
            {t("controls.planChanged")}
          </h2>
          <p className="text-sm text-slate-700">{t("controls.planChangedText")}</p>
          <table className="my-2 text-sm">
            <thead>
              <tr className="text-left text-slate-600">
                <th className="pr-4 font-medium">{t("controls.what")}</th>
                <th className="pr-4 font-medium">{t("controls.then")}</th>
                <th className="font-medium">{t("controls.now")}</th>
              </tr>
            </thead>
            <tbody>
              {pendingChanges.changes.map((change) => (
                <tr key={change.what}>
                  <td className="pr-4">{change.what}</td>
                  <td className="pr-4 font-mono">{change.before}</td>
                  <td className="font-mono">{change.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex gap-2">
            <Button variant="primary" onClick={actions.acceptChanges}>
              {t("controls.acceptChanges")}
            </Button>
            <Button onClick={actions.dismissChanges}>{t("controls.notNow")}</Button>
          </div>
        </section>
      )}
    </div>
  );
}
