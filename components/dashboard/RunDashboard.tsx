"use client";

import Link from "next/link";
import { useCallback, useMemo, useState, useSyncExternalStore } from "react";
import { phaseTitle, stepTitle } from "@/lib/runs/playbookTitles";
import { runMessageText } from "@/lib/runs/runMessages";
import type { RunPlanFacts } from "@/lib/runs/runPlan";
import type { PortCheckView, RunOutline, RunView } from "@/lib/runs/runView";
import { useI18n } from "../i18n/I18nProvider";
import { DeployProgress } from "./DeployProgress";
import { ExportReport } from "./ExportReport";
import { EstimatedTimeLeft } from "./EstimatedTimeLeft";
import { HostCheckRow } from "./HostCheckRow";
import { LogView } from "./LogView";
import { PortMatrix } from "./PortMatrix";
import { RunControls } from "./RunControls";
import { StatusBadge } from "./StatusBadge";
import { Timeline } from "./Timeline";
import { Topology } from "./Topology";
import { useRunActions } from "./useRunActions";
import { useRunStream } from "./useRunStream";
import { VmResults } from "./VmResults";

const EMPTY_OUTLINE: RunOutline = [];

/** What the page read on the server for the dashboard to start with (null: it asks the API). */
export type RunDashboardData = { run: RunView | null; portChecks: PortCheckView[] | null; plan: RunPlanFacts | null };

const noSubscription = () => () => undefined;

/**
 * False while the server renders and the browser hydrates, true after. The dashboard shows its
 * times in the reader's time zone and durations against the reader's clock, so it is drawn in the
 * browser only (hydrating server-drawn times would not match); with the data the page gave it, in
 * the first render after hydration.
 */
function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

/**
 * A run, live (`initial`: the run, its port checks and its plan's hosts, read by the page on the server): its status and controls; for a deployment its phases and steps, the time left, a
 * timeline per host, the port matrix and the topology; for a host check one row per host; and
 * the log as it is written. Every text in the reader's language, the hosts' own output as it is.
 */
export function RunDashboard({ runId, initial }: { runId: string; initial: RunDashboardData }) {
  const { t, locale } = useI18n();
  const { plan } = initial;
  const hydrated = useHydrated();
  const { run, log, linesVersion, state, transfers } = useRunStream(runId, initial.run);
  const actions = useRunActions(runId);
  const [logStep, setLogStep] = useState("");
  const rawOutline = run.data?.outline ?? EMPTY_OUTLINE;
  const outline = useMemo(
    () => rawOutline.map((phase) => ({ ...phase, title: phaseTitle(locale, phase.key, phase.title), steps: phase.steps.map((s) => ({ ...s, title: stepTitle(locale, s.key, s.title) })) })),
    [rawOutline, locale],
  );
  const stepOptions = useMemo(() => outline.flatMap((phase) => phase.steps), [outline]);
  const titles = useMemo(() => new Map(stepOptions.map((s) => [s.key, s.title])), [stepOptions]);
  // The runner's messages name steps by their English titles.
  const messageText = useMemo(() => {
    const byEnglish = new Map(rawOutline.flatMap((phase) => phase.steps).map((s) => [s.title, stepTitle(locale, s.key, s.title)]));
    return (message: string) => runMessageText(locale, message, (english) => byEnglish.get(english) ?? english);
  }, [rawOutline, locale]);
  // A click on a step shows its log alone and brings the log into view; a second click shows all again.
  const showStepLog = useCallback(
    (stepKey: string) => {
      const next = logStep === stepKey ? "" : stepKey;
      setLogStep(next);
      if (next) requestAnimationFrame(() => document.getElementById("log-heading")?.scrollIntoView({ block: "start", behavior: "smooth" }));
    },
    [logStep],
  );

  if (run.isError) return <p role="alert" className="text-red-700">{t("dashboard.loadFailed", { error: run.error.message })}</p>;
  if (!run.data || !hydrated) return <p>{t("dashboard.loading")}</p>;
  const { data } = run;
  const done = data.stepRuns.filter((s) => s.status !== "pending" && s.status !== "running").length;
  const progress = { done, total: data.stepRuns.length, time: new Date(data.createdAt).toLocaleTimeString(locale) };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t(`dashboard.kind.${data.kind}`)}</h1>
        <span data-testid="run-status">
          <StatusBadge status={data.status} />
        </span>
        <span className="text-sm text-slate-600">{data.kind === "deploy" ? t("dashboard.progress.steps", progress) : t("dashboard.progress.hosts", progress)}</span>
        {data.kind === "deploy" && <EstimatedTimeLeft run={data} />}
        <span className={`text-xs ${state === "live" ? "text-green-800" : "text-amber-800"}`} data-testid="stream-state">
          {state === "live" ? t("dashboard.stream.live") : state === "connecting" ? t("dashboard.stream.connecting") : t("dashboard.stream.reconnecting")}
        </span>
        <Link href={`/plans/${data.planId}/review`} className="ml-auto text-sm text-blue-800 underline">
          {t("dashboard.backToPlan")}
        </Link>
      </div>
      {data.error && (
        <p role="alert" className="text-sm text-red-800">
          {messageText(data.error)}
        </p>
      )}
      {data.kind === "deploy" ? (
        <>
          <RunControls run={data} actions={actions} />
          <ExportReport runId={data.id} />
          <DeployProgress run={data} outline={outline} actions={actions} logStep={logStep} onShowLog={showStepLog} messageText={messageText} transfers={transfers} />
          <Timeline stepRuns={data.stepRuns} titles={titles} />
          <VmResults run={data} log={log} linesVersion={linesVersion} />
          <PortMatrix runId={data.id} hosts={plan?.hosts} ports={plan?.ports} initialChecks={initial.portChecks} />
          {plan && plan.hosts.length > 0 && <Topology plan={plan} />}
        </>
      ) : (
        <ul className="space-y-2" aria-label={t("dashboard.hostsList")}>
          {data.stepRuns.map((step) => (
            <HostCheckRow key={step.id} step={step} planId={data.planId} />
          ))}
        </ul>
      )}
      <LogView
        runId={data.id}
        log={log}
        linesVersion={linesVersion}
        steps={data.stepRuns}
        stepOptions={data.kind === "deploy" ? stepOptions : undefined}
        stepFilter={logStep}
        onStepFilter={setLogStep}
      />
    </div>
  );
}
