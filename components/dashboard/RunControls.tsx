"use client";

import { useState } from "react";
import type { RunView } from "@/lib/runs/runView";
import { isResumable } from "@/lib/runs/status";
import { Button } from "../ui/Button";
import type { RunActions } from "./useRunActions";

const RESUME_LABELS = {
  failed: "Resume from failed step",
  interrupted: "Resume from interrupted step",
  cancelled: "Resume from cancelled step",
  paused: "Resume",
} as const;

/** Resume or cancel a deployment, and the plan's changes to accept before resuming. */
export function RunControls({ run, actions }: { run: RunView; actions: RunActions }) {
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { resume, cancel, pendingChanges } = actions;
  const resumeError = resume.error && !pendingChanges ? resume.error.message : null;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        {isResumable(run.status) && run.status in RESUME_LABELS && (
          <Button variant="primary" disabled={resume.isPending} onClick={() => resume.mutate({})}>
            {resume.isPending ? "Resuming…" : RESUME_LABELS[run.status as keyof typeof RESUME_LABELS]}
          </Button>
        )}
        {run.status === "running" &&
          (confirmCancel ? (
            <span className="flex items-center gap-2 text-sm">
              Stop the commands running on the hosts now?
              <Button variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate(undefined, { onSettled: () => setConfirmCancel(false) })}>
                Yes, cancel the run
              </Button>
              <Button onClick={() => setConfirmCancel(false)}>No, keep it running</Button>
            </span>
          ) : (
            <Button variant="danger" onClick={() => setConfirmCancel(true)}>
              Cancel
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
            The plan changed since this run started
          </h2>
          <p className="text-sm text-slate-700">The steps still to run will use the plan as it is now. Steps already done are not run again.</p>
          <table className="my-2 text-sm">
            <thead>
              <tr className="text-left text-slate-600">
                <th className="pr-4 font-medium">What</th>
                <th className="pr-4 font-medium">Then</th>
                <th className="font-medium">Now</th>
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
              Resume with these changes
            </Button>
            <Button onClick={actions.dismissChanges}>Not now</Button>
          </div>
        </section>
      )}
    </div>
  );
}
