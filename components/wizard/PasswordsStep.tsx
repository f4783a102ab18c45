"use client";

import { CENTOS_REPOSITORIES, type PlanSettings } from "@/lib/plan/planView";
import { generatePassword, weakPasswordWarning } from "@/lib/plan/passwordStrength";
import { serviceSecretsFor } from "@/lib/playbook/serviceSecrets";
import type { MessageKey } from "@/lib/i18n/messages";
import { useI18n } from "../i18n/I18nProvider";
import { SecretField } from "../ui/SecretField";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";
import { NetworkOptionsSection } from "./NetworkOptionsSection";
import { ImageUpload } from "./ImageUpload";
import { useFieldErrors } from "./useFieldErrors";
import type { WizardStepProps } from "./wizardStepProps";

type TextSetting = "ntpServer" | "managementCidr" | "regionName" | "imageName" | "centosRepositoryUrl";

/** Page 3: the service passwords the plan's scope needs, and the deployment's options. */
export function PasswordsStep({ planDraft, draft, issues, showAllErrors }: WizardStepProps) {
  const { t } = useI18n();
  const { errorFor, touch } = useFieldErrors(issues, showAllErrors, planDraft.rejected);
  const saved = planDraft.query.data ?? draft;
  const setSetting = <K extends keyof PlanSettings>(key: K, value: PlanSettings[K]) =>
    planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, [key]: value } }));
  const weak = (value: string) => {
    const warning = weakPasswordWarning(value);
    return warning ? t(warning.code, warning.params) : null;
  };
  const textSetting = (key: TextSetting, label: MessageKey, placeholder?: string) => (
    <TextField
      label={t(label)}
      value={draft.settings[key]}
      onChange={(value) => setSetting(key, value)}
      onBlur={() => touch(`settings.${key}`)}
      error={errorFor(`settings.${key}`)}
      placeholder={placeholder}
      autoCapitalize="off"
      spellCheck={false}
    />
  );

  return (
    <div className="space-y-6">
      <section aria-labelledby="passwords-heading">
        <h2 id="passwords-heading" className="mb-1 text-lg font-semibold">
          {t("wizard.passwords.heading")}
        </h2>
        <p className="mb-3 text-sm text-slate-700">{t("wizard.passwords.note")}</p>
        <div className="grid gap-4 md:grid-cols-2">
          {serviceSecretsFor(draft.settings.scope).map((name) => (
            <div key={name} onBlur={() => touch(`secrets.${name}`)}>
              <SecretField
                label={t("field.serviceSecret", { label: t(`field.secret.${name}`), name })}
                isSet={saved.serviceSecrets[name]}
                onChange={(value) => planDraft.setServiceSecret(name, value)}
                error={errorFor(`secrets.${name}`)}
                generate={generatePassword}
                warn={weak}
              />
            </div>
          ))}
        </div>
      </section>
      <section aria-labelledby="options-heading">
        <h2 id="options-heading" className="mb-3 text-lg font-semibold">
          {t("wizard.options.heading")}
        </h2>
        <div className="grid gap-4 md:grid-cols-2">
          {textSetting("ntpServer", "field.ntpServer", "ntp6.aliyun.com")}
          {textSetting("managementCidr", "field.managementCidr", t("field.managementCidr.placeholder"))}
          {textSetting("regionName", "field.regionName", "RegionOne")}
          {textSetting("imageName", "field.imageName", "cirros")}
          {draft.profile === "centos7-train" && (
            <SelectField
              label={t("field.centosRepository")}
              value={draft.settings.centosRepository}
              options={CENTOS_REPOSITORIES}
              optionLabel={(r) => t(`plan.repository.${r}`)}
              onChange={(r) => setSetting("centosRepository", r)}
              hint={t("field.centosRepository.hint")}
            />
          )}
          {draft.profile === "centos7-train" && draft.settings.centosRepository === "custom" && textSetting("centosRepositoryUrl", "field.centosRepositoryUrl", "http://mirror.example.org/centos-vault")}
        </div>
      </section>
      {draft.settings.scope === "compute" && <NetworkOptionsSection draft={draft} setSetting={setSetting} errorFor={errorFor} touch={touch} />}
      <ImageUpload plan={saved} />
    </div>
  );
}
