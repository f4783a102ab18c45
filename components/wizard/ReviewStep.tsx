"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";
import { ApiRequestError, api, queryKeys } from "@/lib/api/apiClient";
import type { WizardStep } from "@/lib/plan/planView";
import { blocksHostCheck, type PlanIssue } from "@/lib/plan/validatePlan";
import type { RunView } from "@/lib/runs/runView";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import { LINK } from "../ui/styles";
import { ImageReview } from "./ImageUpload";
import { ReviewInstalls } from "./ReviewInstalls";
import { ReviewNetworks } from "./ReviewNetworks";
import { STEP_TITLE_KEYS } from "./StepIndicator";
import type { WizardStepProps } from "./wizardStepProps";

/** Page 4: the plan at a glance (what it installs where), what is still missing, the scripts' preview, "Check hosts" and "Deploy". */
export function ReviewStep({ planDraft, draft, allIssues, goTo }: WizardStepProps & { allIssues: PlanIssue[]; goTo: (step: WizardStep) => void }) {
  const router = useRouter();
  const { t, locale } = useI18n();
  const lastCheck = useQuery({ queryKey: queryKeys.latestRun(draft.id, "host-check"), queryFn: () => api.latestRun(draft.id, "host-check") });
  const lastDeploy = useQuery({ queryKey: queryKeys.latestRun(draft.id, "deploy"), queryFn: () => api.latestRun(draft.id, "deploy") });
  const start = useMutation({
    mutationFn: async (kind: "host-check" | "deploy") => {
      // Whatever is typed is saved before the server reads the plan.
      if (!(await planDraft.save({ wizardStep: "review" }))) throw new Error(t("wizard.review.notSaved"));
      return kind === "deploy" ? api.startDeployment(draft.id) : api.startHostCheck(draft.id);
    },
    onSuccess: (run) => router.push(`/runs/${run.id}`),
  });
  const canCheck = !allIssues.some(blocksHostCheck);
  const canDeploy = allIssues.length === 0;
  const shared = draft.settings.credentialMode === "shared";
  const runLabel = (run: RunView) => ({ status: t(`wizard.runStatus.${run.status}`), time: new Date(run.createdAt).toLocaleString(locale) });
  const fixLink = (step: WizardStep) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    goTo(step);
  };
  // The server names what is missing by code too: shown in the reader's language.
  const startError = start.error instanceof ApiRequestError && start.error.issues.length > 0 ? start.error.issues.map((i) => (i.code ? t(i.code, i.params ?? {}) : i.message)).join(" ") : start.error?.message;

  return (
    <section className="space-y-5">
      <p className="font-medium">{t("wizard.review.scope", { scope: t(`plan.scope.${draft.settings.scope}`) })}</p>
      <p className="text-sm text-slate-700">
        {t(`plan.profile.${draft.profile}`)} · {t(draft.hosts.length === 1 ? "wizard.review.hostCount.one" : "wizard.review.hostCount.other", { count: draft.hosts.length })} ·{" "}
        {shared
          ? t("wizard.review.sharedLogin", {
              user: draft.settings.sharedSshUser,
              method: t(draft.settings.sharedAuthMethod === "key" ? "wizard.review.withKey" : "wizard.review.withPassword"),
            })
          : t("wizard.review.perHostLogin")}
      </p>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t("wizard.hosts.heading")}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-1 font-medium">{t("wizard.review.col.host")}</th>
            <th scope="col" className="py-1 font-medium">{t("wizard.review.col.role")}</th>
            <th scope="col" className="py-1 font-medium">{t("wizard.review.col.managementIp")}</th>
            <th scope="col" className="py-1 font-medium">{t("wizard.review.col.natIp")}</th>
            <th scope="col" className="py-1 font-medium">{t("wizard.review.col.ssh")}</th>
            <th scope="col" className="py-1 font-medium">{t("wizard.review.col.hostKey")}</th>
          </tr>
        </thead>
        <tbody>
          {draft.hosts.map((host) => (
            <tr key={host.id} className="border-b border-slate-200">
              <th scope="row" className="py-1 font-medium">{host.name}</th>
              <td className="py-1">{t(`plan.role.${host.role}`)}</td>
              <td className="py-1 font-mono">{host.managementIp}</td>
              <td className="py-1 font-mono">{host.natIp}</td>
              <td className="py-1 font-mono">
                {shared ? draft.settings.sharedSshUser : host.sshUser}@{host.managementIp}:{host.sshPort}
              </td>
              <td className="py-1 font-mono text-xs" data-testid={`host-key-${host.name}`}>
                {host.hostKeyFingerprint ?? <span className="font-sans text-slate-600">{t("wizard.review.hostKeyNotPinned")}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft.settings.scope === "compute" && <ReviewNetworks draft={draft} />}
      <ImageReview plan={planDraft.query.data ?? draft} />
      <ReviewInstalls planId={draft.id} ready={canCheck} />

      {allIssues.length > 0 && (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="mb-1 font-medium">{canCheck ? t("wizard.review.beforeDeploy") : t("wizard.review.beforeCheck")}</p>
          <ul className="list-disc pl-5">
            {allIssues.map((issue) => (
              <li key={`${issue.path}-${issue.code}`}>
                {t(issue.code, issue.params)}{" "}
                <Link className={LINK} href={`/plans/${draft.id}/${issue.step}`} onClick={fixLink(issue.step)}>
                  {t("wizard.review.fixOn", { step: t(STEP_TITLE_KEYS[issue.step]) })}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-4">
        <Button onClick={() => start.mutate("host-check")} disabled={!canCheck || start.isPending}>
          {t("wizard.review.checkHosts")}
        </Button>
        <Button variant="primary" onClick={() => start.mutate("deploy")} disabled={!canDeploy || start.isPending}>
          {start.isPending ? t("wizard.review.starting") : t("wizard.review.deploy")}
        </Button>
        {canCheck && (
          <Link className={`text-sm ${LINK}`} href={`/plans/${draft.id}/preview`}>
            {t("wizard.review.preview")}
          </Link>
        )}
        <span className="text-sm text-slate-700">{t("wizard.review.explain")}</span>
      </div>
      {start.isError && (
        <p role="alert" className="text-sm text-red-700">
          {startError}
        </p>
      )}
      {lastDeploy.data && (
        <p className="text-sm">
          <Link className={LINK} href={`/runs/${lastDeploy.data.id}`}>
            {t("wizard.review.lastDeploy", runLabel(lastDeploy.data))}
          </Link>
        </p>
      )}
      {lastCheck.data && (
        <p className="text-sm">
          <Link className={LINK} href={`/runs/${lastCheck.data.id}`}>
            {t("wizard.review.lastCheck", runLabel(lastCheck.data))}
          </Link>
        </p>
      )}
    </section>
  );
}
