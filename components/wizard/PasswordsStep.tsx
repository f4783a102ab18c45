"use client";

import { CENTOS_REPOSITORIES, type CentosRepository, type PlanSettings } from "@/lib/plan/planView";
import { generatePassword, weakPasswordWarning } from "@/lib/plan/passwordStrength";
import { SERVICE_SECRET_LABELS, SERVICE_SECRETS } from "@/lib/playbook/serviceSecrets";
import { SecretField } from "../ui/SecretField";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";
import { useFieldErrors } from "./useFieldErrors";
import type { WizardStepProps } from "./Wizard";

const REPOSITORY_LABELS: Record<CentosRepository, string> = {
  vault: "CentOS vault (vault.centos.org)",
  "tutorial-mirror": "The tutorial's mirror (mirrors.aliyun.com)",
  custom: "My own mirror",
};

/** Page 3: the tutorial's service passwords and the deployment's options. */
export function PasswordsStep({ planDraft, draft, issues, showAllErrors }: WizardStepProps) {
  const { errorFor, touch } = useFieldErrors(issues, showAllErrors);
  const saved = planDraft.query.data ?? draft;
  const setSetting = <K extends keyof PlanSettings>(key: K, value: PlanSettings[K]) =>
    planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, [key]: value } }));
  const textSetting = (key: "ntpServer" | "managementCidr" | "regionName" | "imageName" | "centosRepositoryUrl", label: string, placeholder?: string) => (
    <TextField
      label={label}
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
          Service passwords
        </h2>
        <p className="mb-3 text-sm text-slate-600">The names in brackets are the tutorial's placeholders. Any printable character is fine.</p>
        <div className="grid gap-4 md:grid-cols-2">
          {SERVICE_SECRETS.map((name) => (
            <div key={name} onBlur={() => touch(`secrets.${name}`)}>
              <SecretField
                label={`${SERVICE_SECRET_LABELS[name]} (${name})`}
                isSet={saved.serviceSecrets[name]}
                onChange={(value) => planDraft.setServiceSecret(name, value)}
                error={errorFor(`secrets.${name}`)}
                generate={generatePassword}
                warn={weakPasswordWarning}
              />
            </div>
          ))}
        </div>
      </section>
      <section aria-labelledby="options-heading">
        <h2 id="options-heading" className="mb-3 text-lg font-semibold">
          Options
        </h2>
        <div className="grid gap-4 md:grid-cols-2">
          {textSetting("ntpServer", "Upstream NTP server for the controller", "ntp6.aliyun.com")}
          {textSetting("managementCidr", "Management network (chrony allows it)", "empty: the controller's /24")}
          {textSetting("regionName", "Region name", "RegionOne")}
          {textSetting("imageName", "Name of the image to upload", "cirros")}
          {draft.profile === "centos7-train" && (
            <SelectField
              label="CentOS 7 package repository"
              value={draft.settings.centosRepository}
              options={CENTOS_REPOSITORIES}
              optionLabel={(r) => REPOSITORY_LABELS[r]}
              onChange={(r) => setSetting("centosRepository", r)}
              hint="CentOS 7 is end-of-life: its default mirrors are gone."
            />
          )}
          {draft.profile === "centos7-train" && draft.settings.centosRepository === "custom" && textSetting("centosRepositoryUrl", "Repository base URL", "http://mirror.example.org/centos-vault")}
        </div>
      </section>
    </div>
  );
}
