"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiRequestError, queryKeys } from "@/lib/api/apiClient";
import type { PlanChange } from "@/lib/plan/planDiff";
import { mergeRunSnapshot, type RunView } from "@/lib/runs/runView";

type ResumeRequest = { onlyStepRunId?: string; acceptPlanChanges?: boolean };

/**
 * The operator's actions on a deployment: resume, retry one step, mark a step done by hand,
 * cancel. A resume the server refuses because the plan changed keeps the request and the list of
 * changes, so the dashboard can show them and ask.
 */
export function useRunActions(runId: string) {
  const queryClient = useQueryClient();
  const [pendingChanges, setPendingChanges] = useState<{ request: ResumeRequest; changes: PlanChange[] } | null>(null);
  const keep = (run: RunView) => queryClient.setQueryData<RunView>(queryKeys.run(runId), (held) => mergeRunSnapshot(held, run));

  const resume = useMutation({
    mutationFn: (request: ResumeRequest) => api.resumeRun(runId, request),
    onMutate: () => setPendingChanges(null),
    onSuccess: keep,
    onError: (error, request) => {
      const changes = error instanceof ApiRequestError ? (error.body?.planChanges as PlanChange[] | undefined) : undefined;
      if (changes && changes.length > 0 && !request.acceptPlanChanges && error instanceof ApiRequestError && error.status === 409 && /plan changed/.test(error.message)) {
        setPendingChanges({ request, changes });
      }
    },
  });
  const cancel = useMutation({ mutationFn: () => api.cancelRun(runId) });
  const markDone = useMutation({ mutationFn: (stepRunId: string) => api.markStepDone(runId, stepRunId), onSuccess: keep });

  return {
    resume,
    cancel,
    markDone,
    /** How the plan changed since the run started, while the operator decides. */
    pendingChanges,
    acceptChanges: () => pendingChanges && resume.mutate({ ...pendingChanges.request, acceptPlanChanges: true }),
    dismissChanges: () => setPendingChanges(null),
  };
}

export type RunActions = ReturnType<typeof useRunActions>;
