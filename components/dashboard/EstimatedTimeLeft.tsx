"use client";

import { useQuery } from "@tanstack/react-query";
import { secondsLeft, stepsWithoutTime, type RunEstimate } from "@/lib/runs/estimate";
import type { RunView } from "@/lib/runs/runView";
import { useI18n } from "../i18n/I18nProvider";
import { useNow } from "./useNow";

async function fetchEstimate(runId: string): Promise<RunEstimate> {
  const response = await fetch(`/api/runs/${encodeURIComponent(runId)}/estimate`);
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  return (await response.json()) as RunEstimate;
}

/**
 * "About N min left" while a deployment runs, from how long its remaining steps took in the
 * newest earlier deployment of this plan (or of another plan for the same system) of the same
 * scope. When that deployment has no time for some of the steps left, "at least N min", and the
 * title says how many steps are not counted. Nothing when there is no such deployment yet.
 */
export function EstimatedTimeLeft({ run }: { run: Pick<RunView, "id" | "status" | "stepRuns"> }) {
  const { t, locale } = useI18n();
  const active = run.status === "running" || run.status === "pending";
  const { data } = useQuery({ queryKey: ["run", run.id, "estimate"], queryFn: () => fetchEstimate(run.id), enabled: active, staleTime: Infinity });
  const now = useNow(active, 5000);
  const left = active ? secondsLeft(run, data, now) : null;
  if (left === null || !data?.basedOn) return null;
  const time = new Date(data.basedOn.finishedAt).toLocaleString(locale);
  const untimed = stepsWithoutTime(run, data);
  const basis = data.basedOn.samePlan ? t("estimate.basedOnPlan", { time }) : t("estimate.basedOnProfile", { time });
  const minutes = Math.ceil(left / 60);
  const text = untimed === 0 ? (left < 60 ? t("estimate.underMinute") : t("estimate.minutes", { n: minutes })) : left < 60 ? t("estimate.unknown") : t("estimate.atLeastMinutes", { n: minutes });
  return (
    <span
      className="rounded bg-blue-50 px-2 py-0.5 text-sm text-blue-900"
      data-testid="estimated-time-left"
      data-seconds={Math.round(left)}
      data-steps-without-time={untimed}
      title={untimed === 0 ? basis : t("estimate.stepsWithoutTime", { basis, n: untimed })}
    >
      {text}
    </span>
  );
}
