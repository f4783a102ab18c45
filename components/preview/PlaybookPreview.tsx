"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { api, queryKeys } from "@/lib/api/apiClient";
import type { MessageKey } from "@/lib/i18n/messages";
import type { Script, Step } from "@/lib/playbook/types";
import { phaseTitle, stepTitle } from "@/lib/runs/playbookTitles";
import { useI18n } from "../i18n/I18nProvider";
import { FOCUS_RING, LINK, inputClass } from "../ui/styles";

/**
 * What will run: per host, every step's check, apply and verify script, exactly as sent. The
 * phase and step titles are in the reader's language, as on the dashboard; the scripts are shown
 * as they run (never translated).
 */
export function PlaybookPreview({ planId }: { planId: string }) {
  const { t, locale } = useI18n();
  const { data, error } = useQuery({ queryKey: queryKeys.playbook(planId), queryFn: () => api.playbook(planId) });
  const [hostId, setHostId] = useState<string | null>(null);
  if (error) return <p role="alert" className="text-red-700">{error.message}</p>;
  if (!data) return <p>{t("preview.building")}</p>;
  const host = data.input.hosts.find((h) => h.id === hostId) ?? data.input.hosts[0];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">{t("preview.heading")}</h1>
        <label className="flex items-center gap-2 text-sm">
          {t("preview.host")}
          <select value={host.id} onChange={(e) => setHostId(e.target.value)} className={inputClass(false)}>
            {data.input.hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {t("preview.hostOption", { name: h.name, role: t(`plan.role.${h.role}`) })}
              </option>
            ))}
          </select>
        </label>
        <a className={`text-sm ${LINK}`} href={`/api/plans/${planId}/scripts/${host.id}`}>
          {t("preview.download", { host: host.name })}
        </a>
        <Link className={`ml-auto text-sm ${LINK}`} href={`/plans/${planId}/review`}>
          {t("preview.back")}
        </Link>
      </div>
      <p className="text-sm text-slate-700">{t("preview.note")}</p>
      {data.playbook.phases.map((phase) => {
        const steps = phase.steps.filter((s) => s.roles.includes(host.role));
        if (steps.length === 0) return null;
        return (
          <section key={phase.key} aria-labelledby={`phase-${phase.key}`}>
            <h2 id={`phase-${phase.key}`} className="mb-2 text-lg font-semibold">
              {phaseTitle(locale, phase.key, phase.title)}
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
  const { t, locale } = useI18n();
  const parts: [MessageKey, Script | undefined][] = [
    ["preview.check", step.check],
    ["preview.apply", step.apply],
    ["preview.verify", step.verify],
  ];
  return (
    <details className="mb-2 rounded border border-slate-200 bg-white p-2" data-testid={`preview-${step.key}`}>
      <summary className={`cursor-pointer rounded text-sm font-medium ${FOCUS_RING}`}>
        {stepTitle(locale, step.key, step.title)} <span className="font-mono text-xs text-slate-600">{step.key}</span>
        {step.ports && <span className="ml-2 text-xs text-slate-600">{t("preview.ports", { ports: step.ports.map((p) => p.port).join(", ") })}</span>}
      </summary>
      {parts.map(([label, script]) =>
        script ? (
          <div key={label} className="mt-2">
            <p className="text-xs font-medium text-slate-700">
              {t(label)}
              {script.secrets.length > 0 && ` — ${t("preview.uses", { secrets: script.secrets.map((s) => `$${s}`).join(", ") })}`}
            </p>
            {/* A scrollable region: reachable by keyboard to scroll long lines. */}
            <pre tabIndex={0} className={`overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100 ${FOCUS_RING}`}>
              {script.body}
            </pre>
          </div>
        ) : null,
      )}
    </details>
  );
}
