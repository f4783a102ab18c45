"use client";

import { useId, useRef } from "react";
import { HOST_ROLES, type HostView } from "@/lib/plan/planView";
import { PROFILES, type ProfileName } from "@/lib/plan/profiles";
import { rejectedValue } from "@/lib/plan/rejectedValue";
import { shownValue, type PlanIssueCode } from "@/lib/plan/validatePlan";
import type { PlaybookScope } from "@/lib/playbook/scope";
import { COMPUTE_SERVICE_SECRETS, serviceSecretKey, serviceSecretsFor } from "@/lib/playbook/serviceSecrets";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import { RadioGroupField } from "../ui/RadioGroupField";
import { SelectField } from "../ui/SelectField";
import { inputClass } from "../ui/styles";
import { TextField } from "../ui/TextField";
import { LocalLabOffer } from "./LocalLabOffer";
import { useFieldErrors } from "./useFieldErrors";
import type { WizardStepProps } from "./wizardStepProps";

/** Where a host's port text is held while it is no port (by host id: rows move when one is removed). */
const portKey = (hostId: string) => `host.${hostId}.sshPort`;

/** The scopes as offered: the cloud that runs VMs (what a new plan starts with) first. */
const SCOPE_CHOICES: readonly PlaybookScope[] = ["compute", "tutorial"];

/** Issues about the list as a whole that the role fields can fix. */
const ROLE_ISSUES: readonly PlanIssueCode[] = ["plan.issue.noController", "plan.issue.twoControllers"];

function newHost(index: number, existing: HostView[]): HostView {
  const last = existing.at(-1);
  return {
    id: crypto.randomUUID(),
    name: `c${index}`,
    role: "compute",
    managementIp: "",
    natIp: "",
    sshPort: 22,
    sshUser: last?.sshUser ?? "root",
    authMethod: last?.authMethod ?? "password",
    passwordSet: false,
    privateKeySet: false,
  };
}

/** Page 1: the machines of the plan, their roles and addresses. */
export function HostsStep({ planDraft, draft, issues, showAllErrors }: WizardStepProps) {
  const { t } = useI18n();
  const listIssueId = useId();
  const addButton = useRef<HTMLButtonElement>(null);
  const { errorFor, touch } = useFieldErrors(issues, showAllErrors, planDraft.rejected);
  const setHost = (id: string, change: Partial<HostView>) =>
    planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.map((h) => (h.id === id ? { ...h, ...change } : h)) }));
  const listIssues = issues.filter((i) => i.path === "hosts");
  const roleIssues = listIssues.filter((i) => ROLE_ISSUES.includes(i.code));
  const issueId = (code: PlanIssueCode) => `${listIssueId}-${code}`;
  const roleDescribedBy = roleIssues.map((i) => issueId(i.code)).join(" ") || undefined;
  const noHosts = listIssues.some((i) => i.code === "plan.issue.noHosts");
  /**
   * A port is stored as a number: what is not one (22abc, 70000, nothing) stays in the field as
   * typed, with what is wrong, and the stored port is kept until the field holds a port again.
   */
  const setPort = (id: string, fieldPath: string, text: string) => {
    const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
    if (port >= 1 && port <= 65535) {
      planDraft.hold(portKey(id), null);
      setHost(id, { sshPort: port });
    } else {
      const rejection = text.trim() === "" ? rejectedValue(fieldPath, "plan.rejected.portMissing") : rejectedValue(fieldPath, "plan.rejected.portNotNumber", { value: shownValue(text) });
      planDraft.hold(portKey(id), { text, rejection });
    }
  };
  /**
   * The tutorial does not ask for the compute passwords: a saved one stays saved (and shows again
   * on switching back); one typed but refused is let go, as its field is no longer on any page.
   */
  const setScope = (scope: PlaybookScope) => {
    if (scope === "tutorial") planDraft.forgetSecrets(COMPUTE_SERVICE_SECRETS.map(serviceSecretKey));
    planDraft.update((plan) => ({ ...plan, settings: { ...plan.settings, scope } }));
  };
  const heldError = (id: string) => {
    const rejection = planDraft.held[portKey(id)]?.rejection;
    return rejection && t(rejection.code, rejection.params);
  };

  return (
    <section aria-labelledby="hosts-heading">
      <h2 id="hosts-heading" className="sr-only">
        {t("wizard.hosts.heading")}
      </h2>
      <LocalLabOffer planId={draft.id} planDraft={planDraft} />
      <SelectField
        className="mb-4 max-w-md"
        label={t("field.profile")}
        value={draft.profile}
        options={PROFILES}
        optionLabel={(p) => t(`plan.profile.${p}`)}
        onChange={(profile: ProfileName) => planDraft.update((plan) => ({ ...plan, profile }))}
      />
      <RadioGroupField
        className="mb-4 max-w-2xl"
        legend={t("wizard.scope.legend")}
        value={draft.settings.scope}
        options={SCOPE_CHOICES}
        optionLabel={(scope) => t(`plan.scope.${scope}`)}
        optionHint={(scope) => t(`wizard.scope.hint.${scope}`, { count: serviceSecretsFor(scope).length })}
        onChange={setScope}
      />
      {listIssues.map((issue) => (
        <p key={issue.code} id={issueId(issue.code)} role="alert" className="mb-2 text-sm text-red-700">
          {t(issue.code, issue.params)}
        </p>
      ))}
      <div className="overflow-x-auto">
        <table className="w-full border-separate border-spacing-y-1 text-left text-sm">
          <caption className="sr-only">{t("wizard.hosts.heading")}</caption>
          <thead className="text-slate-800">
            <tr>
              <th scope="col" className="pr-2 font-medium">{t("wizard.hosts.col.name")}</th>
              <th scope="col" className="pr-2 font-medium">{t("wizard.hosts.col.role")}</th>
              <th scope="col" className="pr-2 font-medium">{t("wizard.hosts.col.managementIp")}</th>
              <th scope="col" className="pr-2 font-medium">{t("wizard.hosts.col.natIp")}</th>
              <th scope="col" className="pr-2 font-medium">{t("wizard.hosts.col.sshPort")}</th>
              <th scope="col">
                <span className="sr-only">{t("wizard.hosts.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.hosts.map((host, i) => {
              const n = i + 1;
              const path = (field: string) => `hosts.${i}.${field}`;
              return (
                <tr key={host.id} className="align-top">
                  <td className="pr-2">
                    <TextField hideLabel label={t("field.hostName", { n })} value={host.name} onChange={(name) => setHost(host.id, { name })} onBlur={() => touch(path("name"))} error={errorFor(path("name"))} autoCapitalize="off" spellCheck={false} />
                  </td>
                  <td className="pr-2">
                    <label htmlFor={`role-${host.id}`} className="sr-only">
                      {t("field.hostRole", { n })}
                    </label>
                    <select
                      id={`role-${host.id}`}
                      value={host.role}
                      onChange={(e) => setHost(host.id, { role: e.target.value as HostView["role"] })}
                      aria-invalid={roleIssues.length > 0 ? true : undefined}
                      aria-describedby={roleDescribedBy}
                      className={inputClass(roleIssues.length > 0)}
                    >
                      {HOST_ROLES.map((role) => (
                        <option key={role} value={role}>
                          {t(`plan.role.${role}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="pr-2">
                    <TextField hideLabel label={t("field.managementIp", { n })} value={host.managementIp} onChange={(managementIp) => setHost(host.id, { managementIp })} onBlur={() => touch(path("managementIp"))} error={errorFor(path("managementIp"))} inputMode="decimal" placeholder="192.168.100.110" />
                  </td>
                  <td className="pr-2">
                    <TextField hideLabel label={t("field.natIp", { n })} value={host.natIp} onChange={(natIp) => setHost(host.id, { natIp })} onBlur={() => touch(path("natIp"))} error={errorFor(path("natIp"))} inputMode="decimal" placeholder="192.168.158.110" />
                  </td>
                  <td className="pr-2">
                    <TextField
                      hideLabel
                      label={t("field.sshPort", { n })}
                      value={planDraft.held[portKey(host.id)]?.text ?? String(host.sshPort)}
                      onChange={(value) => setPort(host.id, path("sshPort"), value)}
                      onBlur={() => touch(path("sshPort"))}
                      error={heldError(host.id) ?? errorFor(path("sshPort"))}
                      inputMode="numeric"
                      className="w-24"
                    />
                  </td>
                  <td>
                    <Button
                      variant="danger"
                      aria-label={t("wizard.hosts.removeLabel", { n, name: host.name || t("wizard.hosts.unnamed") })}
                      onClick={() => {
                        planDraft.hold(portKey(host.id), null);
                        planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.filter((h) => h.id !== host.id) }));
                        // The row and its button are gone: keep the keyboard focus on the list.
                        addButton.current?.focus();
                      }}
                    >
                      {t("wizard.hosts.remove")}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Button
        ref={addButton}
        className="mt-3"
        aria-describedby={noHosts ? issueId("plan.issue.noHosts") : undefined}
        onClick={() => planDraft.update((plan) => ({ ...plan, hosts: [...plan.hosts, newHost(plan.hosts.length, plan.hosts)] }))}
      >
        {t("wizard.hosts.add")}
      </Button>
    </section>
  );
}
