"use client";

import { HOST_ROLES, type HostView } from "@/lib/plan/planView";
import { PROFILE_LABELS, PROFILES, type ProfileName } from "@/lib/plan/profiles";
import { Button } from "../ui/Button";
import { SelectField } from "../ui/SelectField";
import { LocalLabOffer } from "./LocalLabOffer";
import { TextField } from "../ui/TextField";
import { useFieldErrors } from "./useFieldErrors";
import type { WizardStepProps } from "./Wizard";

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
  const { errorFor, touch } = useFieldErrors(issues, showAllErrors);
  const setHost = (id: string, change: Partial<HostView>) =>
    planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.map((h) => (h.id === id ? { ...h, ...change } : h)) }));
  const listIssues = issues.filter((i) => i.path === "hosts");

  return (
    <section aria-labelledby="hosts-heading">
      <h2 id="hosts-heading" className="sr-only">
        Hosts of the plan
      </h2>
      <LocalLabOffer planId={draft.id} planDraft={planDraft} />
      <SelectField
        className="mb-4 max-w-md"
        label="Target system"
        value={draft.profile}
        options={PROFILES}
        optionLabel={(p) => PROFILE_LABELS[p]}
        onChange={(profile: ProfileName) => planDraft.update((plan) => ({ ...plan, profile }))}
      />
      {listIssues.map((issue) => (
        <p key={issue.message} role="alert" className="mb-2 text-sm text-red-700">
          {issue.message}
        </p>
      ))}
      <div className="overflow-x-auto">
        <table className="w-full border-separate border-spacing-y-1 text-left text-sm">
          <thead className="text-slate-700">
            <tr>
              <th className="pr-2 font-medium">Name</th>
              <th className="pr-2 font-medium">Role</th>
              <th className="pr-2 font-medium">Management IP</th>
              <th className="pr-2 font-medium">Second (NAT) IP</th>
              <th className="pr-2 font-medium">SSH port</th>
              <th>
                <span className="sr-only">Actions</span>
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
                    <TextField hideLabel label={`Name of host ${n}`} value={host.name} onChange={(name) => setHost(host.id, { name })} onBlur={() => touch(path("name"))} error={errorFor(path("name"))} autoCapitalize="off" spellCheck={false} />
                  </td>
                  <td className="pr-2">
                    <label htmlFor={`role-${host.id}`} className="sr-only">{`Role of host ${n}`}</label>
                    <select
                      id={`role-${host.id}`}
                      value={host.role}
                      onChange={(e) => setHost(host.id, { role: e.target.value as HostView["role"] })}
                      className="rounded border border-slate-300 bg-white px-2 py-1.5"
                    >
                      {HOST_ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="pr-2">
                    <TextField hideLabel label={`Management IP of host ${n}`} value={host.managementIp} onChange={(managementIp) => setHost(host.id, { managementIp })} onBlur={() => touch(path("managementIp"))} error={errorFor(path("managementIp"))} inputMode="decimal" placeholder="192.168.100.110" />
                  </td>
                  <td className="pr-2">
                    <TextField hideLabel label={`Second IP of host ${n}`} value={host.natIp} onChange={(natIp) => setHost(host.id, { natIp })} onBlur={() => touch(path("natIp"))} error={errorFor(path("natIp"))} inputMode="decimal" placeholder="192.168.158.110" />
                  </td>
                  <td className="pr-2">
                    <TextField
                      hideLabel
                      label={`SSH port of host ${n}`}
                      value={String(host.sshPort)}
                      onChange={(value) => setHost(host.id, { sshPort: /^\d{1,7}$/.test(value) ? Number(value) : 0 })}
                      onBlur={() => touch(path("sshPort"))}
                      error={errorFor(path("sshPort"))}
                      inputMode="numeric"
                      className="w-24"
                    />
                  </td>
                  <td>
                    <Button variant="danger" aria-label={`Remove host ${n} (${host.name || "unnamed"})`} onClick={() => planDraft.update((plan) => ({ ...plan, hosts: plan.hosts.filter((h) => h.id !== host.id) }))}>
                      Remove
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Button className="mt-3" onClick={() => planDraft.update((plan) => ({ ...plan, hosts: [...plan.hosts, newHost(plan.hosts.length, plan.hosts)] }))}>
        Add host
      </Button>
    </section>
  );
}
