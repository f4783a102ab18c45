"use client";

import type { RunStatus, StepStatus } from "@/lib/runs/status";
import { useI18n } from "../i18n/I18nProvider";

export const STATUS_STYLES: Record<RunStatus | StepStatus, { icon: string; className: string }> = {
  pending: { icon: "○", className: "bg-slate-100 text-slate-700" },
  running: { icon: "◔", className: "bg-blue-100 text-blue-900" },
  succeeded: { icon: "✓", className: "bg-green-100 text-green-900" },
  failed: { icon: "✗", className: "bg-red-100 text-red-900" },
  skipped: { icon: "↷", className: "bg-slate-100 text-slate-700" },
  cancelled: { icon: "■", className: "bg-amber-100 text-amber-900" },
  interrupted: { icon: "!", className: "bg-amber-100 text-amber-900" },
  manual: { icon: "✓", className: "bg-teal-100 text-teal-900" },
  paused: { icon: "‖", className: "bg-slate-200 text-slate-800" },
};

/** A status as an icon and a word ("already done" for skipped: the step found its work done). */
export function StatusBadge({ status }: { status: RunStatus | StepStatus }) {
  const { t } = useI18n();
  const style = STATUS_STYLES[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ${style.className}`}>
      <span aria-hidden>{style.icon}</span>
      {t(`status.${status}`)}
    </span>
  );
}
