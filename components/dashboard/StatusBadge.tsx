import type { RunStatus, StepStatus } from "@/lib/runs/status";

const STYLES: Record<RunStatus | StepStatus, { icon: string; label: string; className: string }> = {
  pending: { icon: "○", label: "pending", className: "bg-slate-100 text-slate-700" },
  running: { icon: "◔", label: "running", className: "bg-blue-100 text-blue-900" },
  succeeded: { icon: "✓", label: "succeeded", className: "bg-green-100 text-green-900" },
  failed: { icon: "✗", label: "failed", className: "bg-red-100 text-red-900" },
  skipped: { icon: "↷", label: "already done", className: "bg-slate-100 text-slate-700" },
  cancelled: { icon: "■", label: "cancelled", className: "bg-amber-100 text-amber-900" },
  interrupted: { icon: "!", label: "interrupted", className: "bg-amber-100 text-amber-900" },
  manual: { icon: "✓", label: "done by hand", className: "bg-teal-100 text-teal-900" },
  paused: { icon: "‖", label: "paused", className: "bg-slate-200 text-slate-800" },
};

export function StatusBadge({ status }: { status: RunStatus | StepStatus }) {
  const style = STYLES[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ${style.className}`}>
      <span aria-hidden>{style.icon}</span>
      {style.label}
    </span>
  );
}
