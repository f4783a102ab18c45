"use client";

import { AUTH_METHODS, type AuthMethod, type CredentialMode } from "@/lib/plan/planView";
import { isSecretSet, SSH_SECRET_KINDS, sshSecretKey, type CredentialOwner } from "@/lib/plan/secretKeys";
import { useI18n } from "../i18n/I18nProvider";
import { SecretField } from "../ui/SecretField";
import { TextField } from "../ui/TextField";
import { useFieldErrors } from "./useFieldErrors";
import type { WizardStepProps } from "./wizardStepProps";

/** Page 2: how StackPilot logs in to the hosts — one set for all, or per host. */
export function CredentialsStep({ planDraft, draft, issues, showAllErrors }: WizardStepProps) {
  const { t } = useI18n();
  const { errorFor, touch } = useFieldErrors(issues, showAllErrors, planDraft.rejected);
  const mode = draft.settings.credentialMode;
  /** The secrets of one login, by key. */
  const keysOf = (owner: CredentialOwner) => SSH_SECRET_KINDS.map((kind) => sshSecretKey(owner, kind));
  const setMode = (credentialMode: CredentialMode) => {
    // The fields of the other mode leave the page, and what was typed in them with the fields.
    planDraft.forgetSecrets(credentialMode === "shared" ? draft.hosts.flatMap((h) => keysOf({ scope: "host", hostId: h.id })) : keysOf({ scope: "shared" }));
    planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, credentialMode } }));
  };

  const credentialFields = (input: {
    owner: CredentialOwner;
    /** The host's name for per-host fields ("SSH user for ct"); none for the shared set. */
    host?: string;
    user: string;
    method: AuthMethod;
    pathPrefix: string;
    userPath: string;
    setUser: (user: string) => void;
    setMethod: (method: AuthMethod) => void;
  }) => {
    const secretPath = `${input.pathPrefix}.${input.method === "password" ? "password" : "privateKey"}`;
    const kind = input.method === "password" ? "password" : "privateKey";
    const host = input.host;
    const secretLabel =
      input.method === "password"
        ? host === undefined
          ? t("field.sshPassword")
          : t("field.sshPasswordFor", { host })
        : host === undefined
          ? t("field.sshPrivateKey")
          : t("field.sshPrivateKeyFor", { host });
    return (
      <div className="grid gap-3 md:grid-cols-[12rem_14rem_1fr]">
        <TextField
          label={host === undefined ? t("field.sshUser") : t("field.sshUserFor", { host })}
          value={input.user}
          onChange={input.setUser}
          onBlur={() => touch(input.userPath)}
          error={errorFor(input.userPath)}
          autoCapitalize="off"
          spellCheck={false}
        />
        <fieldset>
          <legend className="mb-1 block text-sm font-medium text-slate-800">{host === undefined ? t("field.loginWith") : t("field.loginWithFor", { host })}</legend>
          <div className="flex gap-3 pt-1">
            {AUTH_METHODS.map((method) => (
              <label key={method} className="flex items-center gap-1 text-sm">
                <input
                  type="radio"
                  name={`method-${input.pathPrefix}`}
                  checked={input.method === method}
                  onChange={() => {
                    planDraft.forgetSecrets([sshSecretKey(input.owner, method === "password" ? "privateKey" : "password")]);
                    input.setMethod(method);
                  }}
                />
                {t(`plan.authMethod.${method}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div onBlur={() => touch(secretPath)}>
          <SecretField
            key={`${input.pathPrefix}-${kind}`}
            label={secretLabel}
            multiline={input.method === "key"}
            isSet={isSecretSet(planDraft.query.data ?? draft, input.owner, kind)}
            onChange={(value) => planDraft.setSecret(input.owner, kind, value)}
            error={errorFor(secretPath)}
          />
        </div>
      </div>
    );
  };

  return (
    <section className="space-y-5">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800">{t("wizard.credentials.legend")}</legend>
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="credential-mode" checked={mode === "shared"} onChange={() => setMode("shared")} />
            {t("wizard.credentials.shared")}
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="credential-mode" checked={mode === "perHost"} onChange={() => setMode("perHost")} />
            {t("wizard.credentials.perHost")}
          </label>
        </div>
      </fieldset>
      <p className="text-sm text-slate-700">{t("wizard.credentials.note")}</p>

      {mode === "shared"
        ? credentialFields({
            owner: { scope: "shared" },
            user: draft.settings.sharedSshUser,
            method: draft.settings.sharedAuthMethod,
            pathPrefix: "shared",
            userPath: "settings.sharedSshUser",
            setUser: (sharedSshUser) => planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, sharedSshUser } })),
            setMethod: (sharedAuthMethod) => planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, sharedAuthMethod } })),
          })
        : draft.hosts.map((host, i) => (
            <section key={host.id} aria-labelledby={`credentials-${host.id}`} className="rounded border border-slate-200 bg-white p-3">
              <h3 id={`credentials-${host.id}`} className="mb-2 font-medium">
                {host.name || t("wizard.hostHeading", { n: i + 1 })} <span className="text-sm font-normal text-slate-600">{host.managementIp}</span>
              </h3>
              {credentialFields({
                owner: { scope: "host", hostId: host.id },
                host: host.name || t("wizard.hostNumber", { n: i + 1 }),
                user: host.sshUser,
                method: host.authMethod,
                pathPrefix: `hosts.${i}`,
                userPath: `hosts.${i}.sshUser`,
                setUser: (sshUser) => planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.map((h) => (h.id === host.id ? { ...h, sshUser } : h)) })),
                setMethod: (authMethod) => planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.map((h) => (h.id === host.id ? { ...h, authMethod } : h)) })),
              })}
            </section>
          ))}
    </section>
  );
}
