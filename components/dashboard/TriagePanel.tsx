"use client";

import { triageHintText, type Triage, type TriageSection } from "@/lib/runs/triage";
import type { Translate } from "@/lib/i18n/translate";
import { useI18n } from "../i18n/I18nProvider";

const OUTPUT_STYLE = "mt-2 max-h-72 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 font-mono text-xs leading-5 text-slate-100";

/** A section's title in the reader's language when it says what was asked; else as the server wrote it. */
function sectionTitle(section: TriageSection, t: Translate): string {
  const probe = section.probe;
  if (probe?.kind === "status" && probe.unit) return t("triage.section.status", { unit: probe.unit });
  if (probe?.kind === "journal" && probe.unit) return t("triage.section.journal", { unit: probe.unit });
  if (probe?.kind === "ports") return t("triage.section.ports");
  return section.title;
}

/**
 * What a failed step left to go on: the hint for a known error first (in the reader's
 * language), then the step's last log lines and what the host said about the step's services,
 * each folded away until opened. What the host printed stays as it printed it.
 */
export function TriagePanel({ triage }: { triage: Triage }) {
  const { locale, t } = useI18n();
  const hint = triageHintText(locale, triage);
  return (
    <div className="mt-2 space-y-2" data-testid="triage">
      {hint && (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm font-medium text-amber-900" data-testid="triage-hint" data-hint={triage.diagnosis?.id}>
          {hint}
        </p>
      )}
      <details className="rounded border border-slate-200 bg-white p-2" data-testid="triage-last-lines">
        <summary className="cursor-pointer text-sm font-medium">
          {t("triage.lastLines")}
          {triage.lastLines.length < 50 && (
            <span className="ml-2 text-xs text-slate-500">({triage.lastLines.length === 0 ? t("triage.noLines") : t("triage.linesInAll", { n: triage.lastLines.length })})</span>
          )}
        </summary>
        <pre className={OUTPUT_STYLE}>{triage.lastLines.join("\n")}</pre>
      </details>
      {triage.sections.map((section, i) => (
        <details key={`${i}-${section.title}`} className="rounded border border-slate-200 bg-white p-2" data-testid={`triage-section-${i}`}>
          <summary className="cursor-pointer text-sm font-medium">
            {sectionTitle(section, t)}
            {section.command && <span className="ml-2 font-mono text-xs text-slate-500">{section.command}</span>}
          </summary>
          <pre className={OUTPUT_STYLE}>{section.output}</pre>
        </details>
      ))}
    </div>
  );
}
