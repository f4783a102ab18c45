"use client";

import { useId } from "react";
import { planNetworksOf } from "@/lib/plan/planNetworks";
import type { PlanView } from "@/lib/plan/planView";
import { useI18n } from "../i18n/I18nProvider";

/** Review's "Networks for VMs" (compute scope): the networks as the playbook will use them, typed or derived from the hosts. */
export function ReviewNetworks({ draft }: { draft: PlanView }) {
  const { t } = useI18n();
  const headingId = useId();
  const networks = planNetworksOf(draft);
  return (
    <section aria-labelledby={headingId} data-testid="review-networks">
      <h2 id={headingId} className="mb-2 text-lg font-semibold">
        {t("wizard.review.networks.heading")}
      </h2>
      <ul className="space-y-1 text-sm">
        <li>{t("wizard.review.networks.provider", { cidr: networks.providerCidr, gateway: networks.providerGateway })}</li>
        <li>{t("wizard.review.networks.floating", { start: networks.floatingIpStart, end: networks.floatingIpEnd })}</li>
        <li>{t("wizard.review.networks.selfService", { cidr: networks.selfServiceCidr })}</li>
      </ul>
    </section>
  );
}
