"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { api, queryKeys } from "@/lib/api/apiClient";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import { fillSlots } from "../ui/slots";
import type { usePlanDraft } from "./usePlanDraft";

/** "Practise without servers": fills the plan with the local lab's three hosts and its root login. */
export function LocalLabOffer({ planId, planDraft }: { planId: string; planDraft: ReturnType<typeof usePlanDraft> }) {
  const { t } = useI18n();
  const lab = useQuery({ queryKey: queryKeys.localLab, queryFn: api.localLab });
  // What was typed is saved first; a Next clicked meanwhile waits for the lab's plan.
  const use = useMutation({ mutationFn: () => planDraft.replaceBy(() => api.useLocalLab(planId)) });
  if (!lab.data) return null;
  return (
    <div className="mb-4 flex flex-wrap items-center gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
      {lab.data.up ? (
        <>
          <span>{t("wizard.lab.running", { hosts: lab.data.hosts.map((h) => `${h.name} ${h.managementIp}`).join(", ") })}</span>
          <Button onClick={() => use.mutate()} disabled={use.isPending}>
            {t("wizard.lab.use")}
          </Button>
        </>
      ) : (
        <span className="text-slate-700">{fillSlots(t("wizard.lab.offer"), { command: <code className="rounded bg-slate-100 px-1">npm run lab:up</code> })}</span>
      )}
      {use.isError && (
        <p role="alert" className="w-full text-red-700">
          {use.error.message}
        </p>
      )}
    </div>
  );
}
