"use client";

import { formatBytes } from "@/lib/plan/planImage";
import type { TransferView } from "@/lib/realtime/runEvents";
import { useI18n } from "../i18n/I18nProvider";

/** A step run's file transfer under way (the uploaded image to the controller), as the runner reports it live. */
export function TransferBar({ transfer, hostName }: { transfer: TransferView; hostName: string }) {
  const { t } = useI18n();
  const percent = transfer.totalBytes > 0 ? Math.floor((100 * transfer.sentBytes) / transfer.totalBytes) : 0;
  return (
    <span className="flex min-w-64 flex-col gap-1 py-1" data-testid="step-transfer">
      <span className="text-xs tabular-nums text-slate-700">
        {t("image.transfer", { host: hostName, sent: formatBytes(transfer.sentBytes), total: formatBytes(transfer.totalBytes), percent })}
      </span>
      <span className="block h-2 rounded bg-slate-100" role="progressbar" aria-label={t("image.transferLabel", { host: hostName })} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <span className="block h-2 rounded bg-blue-700" style={{ width: `${percent}%` }} />
      </span>
    </span>
  );
}
