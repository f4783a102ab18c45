"use client";

import { useMemo } from "react";
import type { MessageKey } from "@/lib/i18n/messages";
import type { LogBuffer } from "@/lib/logs/logBuffer";
import { AGENT_COLUMNS, agentRows, VM_COLUMNS, vmNotes, vmRows, type Cell, type Tone } from "@/lib/report/vmFindings";
import { NETWORK_VERIFY_STEP, runVmCheck, VM_VERIFY_STEP } from "@/lib/report/vmVerification";
import type { RunView } from "@/lib/runs/runView";
import { useI18n } from "../i18n/I18nProvider";

const TONE_STYLE: Record<Tone, string> = {
  ok: "bg-green-100 text-green-900",
  warn: "bg-amber-100 text-amber-900",
  bad: "bg-red-100 text-red-900",
  plain: "",
};

function ResultTable({ columns, rows, testId, label }: { columns: readonly MessageKey[]; rows: Cell[][]; testId: string; label: string }) {
  const { t } = useI18n();
  return (
    <div className="overflow-x-auto">
      <table className="text-left text-xs" data-testid={testId} aria-label={label}>
        <thead>
          <tr>
            {columns.map((key) => (
              <th key={key} scope="col" className="border border-slate-200 bg-slate-50 px-2 py-1 font-medium">
                {t(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j} className={`whitespace-nowrap border border-slate-200 px-2 py-1 ${TONE_STYLE[cell.tone]}`}>
                  {cell.text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The compute scope's last checks, live: the VM verify.vm booted on each compute (image, status,
 * time to ACTIVE, addresses, ping, SSH, console; a failed one's fault below) and the network agents
 * verify.network listed. Read from the steps' output as it comes (lib/report/vmVerification.ts), in
 * the report's words (lib/report/vmFindings.ts); nothing shows before either step printed.
 */
export function VmResults({ run, log, linesVersion }: { run: RunView; log: LogBuffer; linesVersion: number }) {
  const { t, locale } = useI18n();
  const check = useMemo(() => {
    const started = run.stepRuns.filter((s) => (s.stepKey === VM_VERIFY_STEP || s.stepKey === NETWORK_VERIFY_STEP) && s.status !== "pending");
    if (started.length === 0) return null;
    // The log is searched only for a step whose verify output is not in yet (it runs, or it failed).
    const unverified = new Set(started.filter((s) => !(s.result as { verifyOutput?: unknown } | null)?.verifyOutput).map((s) => s.id));
    const lines = new Map<string, string[]>();
    for (const id of unverified) lines.set(id, []);
    if (unverified.size > 0) for (const line of log.lines()) if (line.stepRunId && unverified.has(line.stepRunId)) lines.get(line.stepRunId)!.push(line.text);
    return runVmCheck(started.map((s) => ({ stepKey: s.stepKey, result: s.result, log: lines.get(s.id) ?? [] })));
    // The buffer grows in place: linesVersion says when.
  }, [run.stepRuns, log, linesVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!check) return null;
  const notes = check.vms ? vmNotes(locale, check.vms) : [];
  return (
    <section aria-labelledby="vms-heading" className="space-y-2" data-testid="vm-results">
      <h2 id="vms-heading" className="text-lg font-semibold">
        {t(check.vms ? "report.vms.title" : "report.agents.title")}
      </h2>
      {check.vms && (
        <>
          <p className="text-sm text-slate-600">{t("report.vms.note")}</p>
          <ResultTable columns={VM_COLUMNS} rows={vmRows(locale, check.vms)} testId="vm-table" label={t("report.vms.title")} />
          {notes.length > 0 && (
            <ul className="space-y-0.5 text-sm text-red-800" data-testid="vm-faults">
              {notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </>
      )}
      {check.agents && (
        <>
          {check.vms && <h3 className="pt-2 text-base font-semibold">{t("report.agents.title")}</h3>}
          <ResultTable columns={AGENT_COLUMNS} rows={agentRows(locale, check.agents)} testId="agent-table" label={t("report.agents.title")} />
        </>
      )}
    </section>
  );
}
