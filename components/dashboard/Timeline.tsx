"use client";

import { formatDuration, formatTick } from "@/lib/runs/duration";
import type { StepRunView } from "@/lib/runs/runView";
import type { StepStatus } from "@/lib/runs/status";
import { timelineLayout } from "@/lib/runs/timeline";
import { useI18n } from "../i18n/I18nProvider";
import { STATUS_STYLES } from "./StatusBadge";
import { useNow } from "./useNow";

const BAR_COLOR: Record<StepStatus, string> = {
  pending: "bg-slate-300",
  running: "bg-blue-500 animate-pulse",
  succeeded: "bg-green-600",
  failed: "bg-red-600",
  skipped: "bg-slate-400",
  cancelled: "bg-amber-500",
  interrupted: "bg-amber-600",
  manual: "bg-teal-600",
};

const LEGEND: StepStatus[] = ["succeeded", "skipped", "running", "failed", "cancelled", "interrupted", "manual"];

/**
 * The run as a Gantt chart: a lane per host, a bar per step run from its start to its end,
 * coloured by status, on an axis in seconds or minutes. Each bar names its step, status and times
 * in its tooltip; screen readers get the same as a table. `titles` are the step titles by key,
 * in the reader's language.
 */
export function Timeline({ stepRuns, titles }: { stepRuns: StepRunView[]; titles: Map<string, string> }) {
  const { t } = useI18n();
  const now = useNow(stepRuns.some((s) => s.status === "running"));
  const layout = timelineLayout(stepRuns, now);
  const title = (key: string) => titles.get(key) ?? key;
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="mb-2 text-lg font-semibold">
        {t("timeline.heading")}
      </h2>
      {!layout ? (
        <p className="text-sm text-slate-600" data-testid="timeline-empty">
          {t("timeline.empty")}
        </p>
      ) : (
        <div data-testid="timeline" data-span={layout.span}>
          <div aria-hidden className="rounded border border-slate-200 bg-white p-3">
            <div className="grid grid-cols-[4rem_1fr] gap-x-2 gap-y-1.5">
              {layout.lanes.map((lane) => (
                <div key={lane.host} className="contents" data-testid={`timeline-lane-${lane.host}`}>
                  <div className="truncate py-0.5 text-xs font-medium text-slate-700">{lane.host}</div>
                  <div className="relative h-5 rounded bg-slate-50">
                    {layout.ticks.map((tick) => (
                      <div key={tick.at} className="absolute inset-y-0 border-l border-slate-200" style={{ left: `${tick.left}%` }} />
                    ))}
                    {lane.bars.map((bar) => {
                      const { stepRun } = bar;
                      const label = t("timeline.bar", {
                        step: title(stepRun.stepKey),
                        host: stepRun.hostName,
                        status: t(`status.${stepRun.status}`),
                        duration: formatDuration(bar.end - bar.start, t),
                        start: formatTick(bar.start, t),
                        end: formatTick(bar.end, t),
                      });
                      return (
                        <div
                          key={stepRun.id}
                          title={label}
                          data-testid={`timeline-bar-${stepRun.stepKey}-${stepRun.hostName}`}
                          data-status={stepRun.status}
                          className={`absolute inset-y-0.5 rounded-sm ${BAR_COLOR[stepRun.status]} hover:ring-2 hover:ring-slate-900`}
                          style={{ left: `${bar.left}%`, width: `max(3px, ${bar.width}%)` }}
                        />
                      );
                    })}
                  </div>
                </div>
              ))}
              <div />
              <div className="relative h-4 text-[10px] text-slate-500" data-testid="timeline-axis">
                {layout.ticks.map((tick, i) => (
                  <span
                    key={tick.at}
                    className="absolute whitespace-nowrap"
                    style={i === 0 ? { left: 0 } : tick.left > 95 ? { right: `${100 - tick.left}%` } : { left: `${tick.left}%`, transform: "translateX(-50%)" }}
                  >
                    {formatTick(tick.at, t)}
                  </span>
                ))}
              </div>
            </div>
            <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600">
              {LEGEND.filter((status) => stepRuns.some((s) => s.status === status)).map((status) => (
                <li key={status} className="flex items-center gap-1">
                  <span className={`inline-block h-2.5 w-4 rounded-sm ${BAR_COLOR[status].replace(" animate-pulse", "")}`} />
                  <span aria-hidden>{STATUS_STYLES[status].icon}</span>
                  {t(`status.${status}`)}
                </li>
              ))}
            </ul>
          </div>
          <table className="sr-only">
            <caption>{t("timeline.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("timeline.host")}</th>
                <th scope="col">{t("timeline.stepCol")}</th>
                <th scope="col">{t("timeline.statusCol")}</th>
                <th scope="col">{t("timeline.startCol")}</th>
                <th scope="col">{t("timeline.durationCol")}</th>
              </tr>
            </thead>
            <tbody>
              {layout.lanes.flatMap((lane) =>
                lane.bars.map((bar) => (
                  <tr key={bar.stepRun.id}>
                    <th scope="row">{lane.host}</th>
                    <td>{title(bar.stepRun.stepKey)}</td>
                    <td>{t(`status.${bar.stepRun.status}`)}</td>
                    <td>{formatTick(bar.start, t)}</td>
                    <td>{formatDuration(bar.end - bar.start, t)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
