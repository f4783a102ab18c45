"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { api } from "@/lib/api/apiClient";
import type { Script, Step } from "@/lib/playbook/types";

/** What will run: per host, every step's check, apply and verify script, exactly as sent. */
export function PlaybookPreview({ planId }: { planId: string }) {
  const { data, error } = useQuery({ queryKey: ["plan", planId, "playbook"], queryFn: () => api.playbook(planId) });
  const [hostId, setHostId] = useState<string | null>(null);
  if (error) return <p role="alert" className="text-red-700">{error.message}</p>;
  if (!data) return <p>Building the playbook…</p>;
  const host = data.input.hosts.find((h) => h.id === hostId) ?? data.input.hosts[0];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Preview</h1>
        <label className="text-sm">
          Host{" "}
          <select value={host.id} onChange={(e) => setHostId(e.target.value)} className="rounded border border-slate-300 bg-white px-2 py-1">
            {data.input.hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name} ({h.role})
              </option>
            ))}
          </select>
        </label>
        <a className="text-sm text-blue-800 underline" href={`/api/plans/${planId}/scripts/${host.id}`}>
          Download {host.name}&apos;s script
        </a>
        <Link className="ml-auto text-sm text-blue-800 underline" href={`/plans/${planId}/review`}>
          Back to the review
        </Link>
      </div>
      <p className="text-sm text-slate-600">Passwords appear as the tutorial&apos;s names ($RABBIT_PASS …): their values are sent separately and never shown.</p>
      {data.playbook.phases.map((phase) => {
        const steps = phase.steps.filter((s) => s.roles.includes(host.role));
        if (steps.length === 0) return null;
        return (
          <section key={phase.key} aria-labelledby={`phase-${phase.key}`}>
            <h2 id={`phase-${phase.key}`} className="mb-2 text-lg font-semibold">
              {phase.title}
            </h2>
            {steps.map((step) => (
              <StepScripts key={step.key} step={step} />
            ))}
          </section>
        );
      })}
    </div>
  );
}

function StepScripts({ step }: { step: Step }) {
  const parts: [string, Script | undefined][] = [
    ["check (exit 0: already done, skipped)", step.check],
    ["apply", step.apply],
    ["verify", step.verify],
  ];
  return (
    <details className="mb-2 rounded border border-slate-200 bg-white p-2" data-testid={`preview-${step.key}`}>
      <summary className="cursor-pointer text-sm font-medium">
        {step.title} <span className="font-mono text-xs text-slate-500">{step.key}</span>
        {step.ports && <span className="ml-2 text-xs text-slate-600">ports {step.ports.map((p) => p.port).join(", ")}</span>}
      </summary>
      {parts.map(([label, script]) =>
        script ? (
          <div key={label} className="mt-2">
            <p className="text-xs font-medium text-slate-700">
              {label}
              {script.secrets.length > 0 && ` — uses ${script.secrets.map((s) => `$${s}`).join(", ")}`}
            </p>
            <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{script.body}</pre>
          </div>
        ) : null,
      )}
    </details>
  );
}
