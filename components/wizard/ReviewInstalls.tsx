"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { api, queryKeys } from "@/lib/api/apiClient";
import { HOST_ROLES, type HostRole } from "@/lib/plan/planView";
import type { Playbook } from "@/lib/playbook/types";
import { phaseTitle } from "@/lib/runs/playbookTitles";
import { useI18n } from "../i18n/I18nProvider";

/** The phases with at least one step on hosts of this role, in the order they run. */
function phasesOf(playbook: Playbook, role: HostRole) {
  return playbook.phases.filter((phase) => phase.steps.some((step) => step.roles.includes(role)));
}

/**
 * Review's "What each host gets": per role, its hosts and the phases they go through, read from
 * the playbook the server builds for the saved plan (the one the preview shows and Deploy runs),
 * so it follows the plan's scope. The server builds it once the hosts and logins are right.
 */
export function ReviewInstalls({ planId, ready }: { planId: string; ready: boolean }) {
  const { t, locale } = useI18n();
  const headingId = useId();
  const { data, error } = useQuery({ queryKey: queryKeys.playbook(planId), queryFn: () => api.playbook(planId), enabled: ready });

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="mb-2 text-lg font-semibold">
        {t("wizard.review.installs.heading")}
      </h2>
      {!ready ? (
        <p className="text-sm text-slate-700">{t("wizard.review.installs.waiting")}</p>
      ) : error ? (
        <p role="alert" className="text-sm text-red-700">
          {error.message}
        </p>
      ) : !data ? (
        <p className="text-sm text-slate-700">{t("preview.building")}</p>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {HOST_ROLES.map((role) => {
            const hosts = data.input.hosts.filter((h) => h.role === role);
            if (hosts.length === 0) return null;
            const roleHeadingId = `${headingId}-${role}`;
            return (
              <div key={role}>
                <h3 id={roleHeadingId} className="text-sm font-medium">
                  {t(`wizard.review.installs.${role}`, { hosts: hosts.map((h) => h.name).join(", ") })}
                </h3>
                <ol aria-labelledby={roleHeadingId} className="list-decimal pl-5 text-sm" data-testid={`installs-${role}`}>
                  {phasesOf(data.playbook, role).map((phase) => (
                    <li key={phase.key}>{phaseTitle(locale, phase.key, phase.title)}</li>
                  ))}
                </ol>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
