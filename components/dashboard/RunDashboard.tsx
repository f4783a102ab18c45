"use client";

import Link from "next/link";
import { DeployProgress } from "./DeployProgress";
import { HostCheckRow } from "./HostCheckRow";
import { LogView } from "./LogView";
import { PortMatrix } from "./PortMatrix";
import { RunControls } from "./RunControls";
import { StatusBadge } from "./StatusBadge";
import { useRunActions } from "./useRunActions";
import { useRunStream } from "./useRunStream";

const KIND_TITLES = { "host-check": "Host check", deploy: "Deployment" } as const;

/** A run, live: its status, one row per host, and the log as it is written. */
export function RunDashboard({ runId }: { runId: string }) {
  const { run, log, linesVersion, state } = useRunStream(runId);
  const actions = useRunActions(runId);
  if (run.isError) return <p role="alert" className="text-red-700">Could not load this run: {run.error.message}</p>;
  if (!run.data) return <p>Loading the run…</p>;
  const { data } = run;
  const done = data.stepRuns.filter((s) => s.status !== "pending" && s.status !== "running").length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{KIND_TITLES[data.kind]}</h1>
        <span data-testid="run-status">
          <StatusBadge status={data.status} />
        </span>
        <span className="text-sm text-slate-600">
          {done} of {data.stepRuns.length} {data.kind === "deploy" ? "steps" : "hosts"} done · started {new Date(data.createdAt).toLocaleTimeString()}
        </span>
        <span className={`text-xs ${state === "live" ? "text-green-800" : "text-amber-800"}`} data-testid="stream-state">
          {state === "live" ? "● live" : state === "connecting" ? "connecting…" : "reconnecting…"}
        </span>
        <Link href={`/plans/${data.planId}/review`} className="ml-auto text-sm text-blue-800 underline">
          Back to the plan
        </Link>
      </div>
      {data.error && (
        <p role="alert" className="text-sm text-red-800">
          {data.error}
        </p>
      )}
      {data.kind === "deploy" ? (
        <>
          <RunControls run={data} actions={actions} />
          <DeployProgress run={data} actions={actions} />
          <PortMatrix runId={data.id} />
        </>
      ) : (
        <ul className="space-y-2" aria-label="Hosts">
          {data.stepRuns.map((step) => (
            <HostCheckRow key={step.id} step={step} />
          ))}
        </ul>
      )}
      <LogView runId={data.id} log={log} linesVersion={linesVersion} steps={data.stepRuns} />
    </div>
  );
}
