"use client";

import { isCidr, isIPv4 } from "@/lib/net/ipv4";
import { planNetworksOf } from "@/lib/plan/planNetworks";
import type { PlanSettings, PlanView } from "@/lib/plan/planView";
import { useI18n } from "../i18n/I18nProvider";
import { TextField } from "../ui/TextField";

type NetworkSetting = "providerCidr" | "providerGateway" | "floatingIpStart" | "floatingIpEnd" | "selfServiceCidr";
const NETWORK_SETTINGS: readonly NetworkSetting[] = ["providerCidr", "providerGateway", "floatingIpStart", "floatingIpEnd", "selfServiceCidr"];
const IS_NETWORK: Record<NetworkSetting, boolean> = { providerCidr: true, providerGateway: false, floatingIpStart: false, floatingIpEnd: false, selfServiceCidr: true };

type Props = {
  draft: PlanView;
  setSetting: (key: NetworkSetting, value: PlanSettings[NetworkSetting]) => void;
  errorFor: (path: string) => string | undefined;
  touch: (path: string) => void;
};

/**
 * "Networks for VMs" (compute scope only): Neutron's provider network, its floating IPs and the
 * self-service network. An empty field is derived from the hosts; its placeholder shows the value,
 * worked out live from the hosts as entered (none while the value it comes from is not an address).
 */
export function NetworkOptionsSection({ draft, setSetting, errorFor, touch }: Props) {
  const { t } = useI18n();
  const derived = planNetworksOf(draft);
  const shownDerived = (key: NetworkSetting) => ((IS_NETWORK[key] ? isCidr : isIPv4)(derived[key]) ? derived[key] : undefined);

  return (
    <section aria-labelledby="networks-heading">
      <h2 id="networks-heading" className="mb-1 text-lg font-semibold">
        {t("wizard.networks.heading")}
      </h2>
      <p className="mb-3 text-sm text-slate-700">{t("wizard.networks.note")}</p>
      <div className="grid gap-4 md:grid-cols-2">
        {NETWORK_SETTINGS.map((key) => (
          <TextField
            key={key}
            label={t(`field.${key}`)}
            hint={t(`field.${key}.hint`)}
            value={draft.settings[key]}
            onChange={(value) => setSetting(key, value)}
            onBlur={() => touch(`settings.${key}`)}
            error={errorFor(`settings.${key}`)}
            placeholder={shownDerived(key)}
            // A phone's decimal pad has no "/" for a network.
            inputMode={IS_NETWORK[key] ? undefined : "decimal"}
            autoCapitalize="off"
            spellCheck={false}
          />
        ))}
      </div>
    </section>
  );
}
