import type { RunStatus, StepStatus } from "@/lib/runs/status";

const STYLES: Record<RunStatus | StepStatus, { icon: string; className: string }> = {
  pending: { icon: "○", className: "bg-slate-100 text-slate-700" },
  running: { icon: "◔", className: "bg-blue-100 text-blue-900" },
  succeeded: { icon: "✓", className: "bg-green-100 text-green-900" },
  failed: { icon: "✗", className: "bg-red-100 text-red-900" },
  skipped: { icon: "↷", className: "bg-slate-100 text-slate-700" },
  cancelled: { icon: "■", className: "bg-amber-100 text-amber-900" },
  interrupted: { icon: "!", className: "bg-amber-100 text-amber-900" },
};

export function StatusBadge({ status }: { status: RunStatus | StepStatus }) {
  const style = STYLES[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ${style.className}`}>
      <span aria-hidden>{style.icon}</span>
      {status}
    </span>
  );
}
