import type { Triage } from "@/lib/runs/triage";

const OUTPUT_STYLE = "mt-2 max-h-72 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 font-mono text-xs leading-5 text-slate-100";

/**
 * What a failed step left to go on: the hint for a known error first, then the step's last log
 * lines and what the host said about the step's services, each folded away until opened.
 */
export function TriagePanel({ triage }: { triage: Triage }) {
  return (
    <div className="mt-2 space-y-2" data-testid="triage">
      {triage.hint && (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm font-medium text-amber-900" data-testid="triage-hint">
          {triage.hint}
        </p>
      )}
      <details className="rounded border border-slate-200 bg-white p-2" data-testid="triage-last-lines">
        <summary className="cursor-pointer text-sm font-medium">
          Last 50 lines
          {triage.lastLines.length < 50 && <span className="ml-2 text-xs text-slate-500">({triage.lastLines.length === 0 ? "no log lines" : `${triage.lastLines.length} in all`})</span>}
        </summary>
        <pre className={OUTPUT_STYLE}>{triage.lastLines.join("\n")}</pre>
      </details>
      {triage.sections.map((section, i) => (
        <details key={`${i}-${section.title}`} className="rounded border border-slate-200 bg-white p-2" data-testid={`triage-section-${i}`}>
          <summary className="cursor-pointer text-sm font-medium">
            {section.title}
            {section.command && <span className="ml-2 font-mono text-xs text-slate-500">{section.command}</span>}
          </summary>
          <pre className={OUTPUT_STYLE}>{section.output}</pre>
        </details>
      ))}
    </div>
  );
}
