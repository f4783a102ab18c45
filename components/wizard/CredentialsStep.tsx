"use client";

import { AUTH_METHODS, type AuthMethod, type CredentialMode } from "@/lib/plan/planView";
import { isSecretSet, sshSecretKey, type CredentialOwner } from "@/lib/plan/secretKeys";
import { SecretField } from "../ui/SecretField";
import { TextField } from "../ui/TextField";
import { useFieldErrors } from "./useFieldErrors";
import type { WizardStepProps } from "./Wizard";

const METHOD_LABELS: Record<AuthMethod, string> = { password: "Password", key: "Private key" };

/** Page 2: how StackPilot logs in to the hosts — one set for all, or per host. */
export function CredentialsStep({ planDraft, draft, issues, showAllErrors }: WizardStepProps) {
  const { errorFor, touch } = useFieldErrors(issues, showAllErrors);
  const mode = draft.settings.credentialMode;
  const setMode = (credentialMode: CredentialMode) => planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, credentialMode } }));

  const credentialFields = (input: {
    owner: CredentialOwner;
    label: string;
    user: string;
    method: AuthMethod;
    pathPrefix: string;
    userPath: string;
    setUser: (user: string) => void;
    setMethod: (method: AuthMethod) => void;
  }) => {
    const secretPath = `${input.pathPrefix}.${input.method === "password" ? "password" : "privateKey"}`;
    const kind = input.method === "password" ? "password" : "privateKey";
    return (
      <div className="grid gap-3 md:grid-cols-[12rem_12rem_1fr]">
        <TextField label={`SSH user${input.label}`} value={input.user} onChange={input.setUser} onBlur={() => touch(input.userPath)} error={errorFor(input.userPath)} autoCapitalize="off" spellCheck={false} />
        <fieldset>
          <legend className="mb-1 block text-sm font-medium text-slate-700">{`Log in with${input.label}`}</legend>
          <div className="flex gap-3 pt-1">
            {AUTH_METHODS.map((method) => (
              <label key={method} className="flex items-center gap-1 text-sm">
                <input type="radio" name={`method-${input.pathPrefix}`} checked={input.method === method} onChange={() => input.setMethod(method)} />
                {METHOD_LABELS[method]}
              </label>
            ))}
          </div>
        </fieldset>
        <div onBlur={() => touch(secretPath)}>
          <SecretField
            key={`${input.pathPrefix}-${kind}`}
            label={`${input.method === "password" ? "SSH password" : "SSH private key"}${input.label}`}
            multiline={input.method === "key"}
            isSet={isSecretSet(planDraft.query.data ?? draft, input.owner, kind)}
            onChange={(value) => planDraft.setSecret(input.owner, kind, value)}
            error={errorFor(secretPath) ?? (planDraft.saveState.status === "error" && planDraft.saveState.path === sshSecretKey(input.owner, kind) ? planDraft.saveState.message : undefined)}
          />
        </div>
      </div>
    );
  };

  return (
    <section className="space-y-5">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-700">Credentials</legend>
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="credential-mode" checked={mode === "shared"} onChange={() => setMode("shared")} />
            One set for all hosts
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="credential-mode" checked={mode === "perHost"} onChange={() => setMode("perHost")} />
            Different for each host
          </label>
        </div>
      </fieldset>
      <p className="text-sm text-slate-600">
        Passwords and keys are stored on this server only and never shown again; the tutorial logs in as root.
      </p>

      {mode === "shared"
        ? credentialFields({
            owner: { scope: "shared" },
            label: "",
            user: draft.settings.sharedSshUser,
            method: draft.settings.sharedAuthMethod,
            pathPrefix: "shared",
            userPath: "settings.sharedSshUser",
            setUser: (sharedSshUser) => planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, sharedSshUser } })),
            setMethod: (sharedAuthMethod) => planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, sharedAuthMethod } })),
          })
        : draft.hosts.map((host, i) => (
            <div key={host.id} className="rounded border border-slate-200 bg-white p-3">
              <h3 className="mb-2 font-medium">
                {host.name || `Host ${i + 1}`} <span className="text-sm font-normal text-slate-600">{host.managementIp}</span>
              </h3>
              {credentialFields({
                owner: { scope: "host", hostId: host.id },
                label: ` for ${host.name || `host ${i + 1}`}`,
                user: host.sshUser,
                method: host.authMethod,
                pathPrefix: `hosts.${i}`,
                userPath: `hosts.${i}.sshUser`,
                setUser: (sshUser) => planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.map((h) => (h.id === host.id ? { ...h, sshUser } : h)) })),
                setMethod: (authMethod) => planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.map((h) => (h.id === host.id ? { ...h, authMethod } : h)) })),
              })}
            </div>
          ))}
    </section>
  );
}
