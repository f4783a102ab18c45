"use client";

import { useMemo } from "react";
import type { RunPlanFacts } from "@/lib/runs/runPlan";
import { planServices, topologyDescription, topologySvg } from "@/lib/topology/topologySvg";
import { useI18n } from "../i18n/I18nProvider";

/**
 * The plan's hosts on the management and the provider network, with the services the plan's
 * scope puts on each (lib/topology/topologySvg.ts, the same picture the report embeds). Shown as an
 * image of the SVG string: nothing of it is ever parsed into the page.
 */
export function Topology({ plan }: { plan: Pick<RunPlanFacts, "scope" | "hosts" | "networks"> }) {
  const { t, locale } = useI18n();
  const { svg, description } = useMemo(() => {
    const words = { chronyClient: t("topology.chronyClient"), novaMetadata: t("topology.novaMetadata"), novncProxy: t("topology.novncProxy") };
    const input = { hosts: plan.hosts, services: planServices(plan, words), networks: plan.networks };
    const labels = {
      controller: t("topology.controller"),
      compute: t("topology.compute"),
      management: t("topology.management"),
      provider: t("topology.provider"),
      selfService: t("topology.selfService"),
      floatingIps: t("topology.floatingIps"),
      tunnelled: t("topology.tunnelled"),
    };
    return { svg: topologySvg(input, labels), description: topologyDescription(input, labels) };
    // t changes with the locale only.
  }, [plan, locale]); // eslint-disable-line react-hooks/exhaustive-deps
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return (
    <section aria-labelledby="topology-heading">
      <div className="mb-2 flex items-center gap-4">
        <h2 id="topology-heading" className="text-lg font-semibold">
          {t("topology.heading")}
        </h2>
        <a href={src} download="stackpilot-topology.svg" className="text-sm text-blue-800 underline">
          {t("topology.download")}
        </a>
      </div>
      {/* A picture wider than the page scrolls: focusable, so the keyboard scrolls it too. */}
      <div className="overflow-x-auto rounded border border-slate-200 bg-white focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-600" tabIndex={0}>
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL of our own SVG, nothing to optimise */}
        <img src={src} alt={`${t("topology.alt")}: ${description}`} data-testid="topology" className="block max-w-none" />
      </div>
    </section>
  );
}
