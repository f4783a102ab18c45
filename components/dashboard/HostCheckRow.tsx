"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, queryKeys } from "@/lib/api/apiClient";
import { isHostCheckResult, isHostKeyChangedResult } from "@/lib/hostcheck/hostCheckResult";
import type { StepRunView } from "@/lib/runs/runView";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import { StatusBadge } from "./StatusBadge";

const LEVEL_STYLE = { ok: "text-green-800", warn: "text-amber-800", fail: "text-red-800" } as const;
const LEVEL_MARK = { ok: "✓", warn: "!", fail: "✗" } as const;

/**
 * One host's line in the host check: green with its facts, or red with the reason in plain words.
 * The findings and the reason come from the server in English. A host refused for showing another
 * key than the pinned one offers to trust the new key.
 */
export function HostCheckRow({ step, planId }: { step: StepRunView; planId: string }) {
  const { t } = useI18n();
  const result = isHostCheckResult(step.result) ? step.result : null;
  const keyChanged = isHostKeyChangedResult(step.result) ? step.result.hostKeyChanged : null;
  const tone = step.status === "failed" ? "border-red-300 bg-red-50" : step.status === "succeeded" ? "border-green-300 bg-white" : "border-slate-200 bg-white";
  return (
    <li data-testid={`host-row-${step.hostName}`} data-status={step.status} data-virt-type={result?.virtType} className={`rounded border p-3 ${tone}`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-semibold">{step.hostName}</span>
        <StatusBadge status={step.status} />
        {result && (
          <span className="text-sm text-slate-700">
            {[result.facts.osName, result.facts.hostname && t("hostcheck.hostname", { name: result.facts.hostname }), t("hostcheck.connectedIn", { ms: result.connectMs })].filter(Boolean).join(" · ")}
          </span>
        )}
      </div>
      {step.error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {step.error}
        </p>
      )}
      {keyChanged && <TrustNewKey planId={planId} hostId={step.hostId} hostName={step.hostName} fingerprint={keyChanged.presented} />}
      {result && (
        <ul className="mt-2 grid gap-x-6 gap-y-0.5 text-sm md:grid-cols-2">
          {result.findings.map((finding) => (
            <li key={finding.id} data-finding={finding.id} data-level={finding.level} className={LEVEL_STYLE[finding.level]}>
              <span aria-hidden>{LEVEL_MARK[finding.level]} </span>
              {finding.text ? t(finding.text.key, finding.text.params) : finding.message}
            </li>
          ))}
          <li className="text-slate-600">{t("hostcheck.hostKey", { fingerprint: result.hostKeyFingerprint })}</li>
          {result.facts.machineId && <li className="text-slate-600">{t("hostcheck.machineId", { id: result.facts.machineId })}</li>}
        </ul>
      )}
    </li>
  );
}

function TrustNewKey({ planId, hostId, hostName, fingerprint }: { planId: string; hostId: string; hostName: string; fingerprint: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const trust = useMutation({
    mutationFn: () => api.trustHostKey(planId, hostId, fingerprint),
    onSuccess: (plan) => queryClient.setQueryData(queryKeys.plan(planId), plan),
  });
  return (
    <div className="mt-2 space-y-1 text-sm">
      {trust.isSuccess ? (
        <p role="status" className="text-green-800">
          {t("hostcheck.keyTrusted", { host: hostName })}
        </p>
      ) : (
        <>
          <p className="text-slate-700">{t("hostcheck.trustKeyHint", { host: hostName })}</p>
          <Button onClick={() => trust.mutate()} disabled={trust.isPending}>
            {t("hostcheck.trustKey", { fingerprint })}
          </Button>
        </>
      )}
      {trust.isError && (
        <p role="alert" className="text-red-800">
          {t("hostcheck.trustFailed", { error: trust.error.message })}
        </p>
      )}
    </div>
  );
}
