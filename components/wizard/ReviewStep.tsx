"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { api, queryKeys } from "@/lib/api/apiClient";
import { PROFILE_LABELS } from "@/lib/plan/profiles";
import { blocksHostCheck, type PlanIssue } from "@/lib/plan/validatePlan";
import { Button } from "../ui/Button";
import { STEP_TITLES } from "./StepIndicator";
import type { WizardStepProps } from "./Wizard";

/** Page 3: the plan at a glance, what is still missing, and "Check hosts". */
export function ReviewStep({ planDraft, draft, allIssues }: WizardStepProps & { allIssues: PlanIssue[] }) {
  const router = useRouter();
  const lastCheck = useQuery({ queryKey: queryKeys.latestRun(draft.id, "host-check"), queryFn: () => api.latestRun(draft.id, "host-check") });
  const lastDeploy = useQuery({ queryKey: queryKeys.latestRun(draft.id, "deploy"), queryFn: () => api.latestRun(draft.id, "deploy") });
  const start = useMutation({
    mutationFn: async (kind: "host-check" | "deploy") => {
      // Whatever is typed is saved before the server reads the plan.
      if (!(await planDraft.save({ wizardStep: "review" }))) throw new Error("The plan could not be saved.");
      return kind === "deploy" ? api.startDeployment(draft.id) : api.startHostCheck(draft.id);
    },
    onSuccess: (run) => router.push(`/runs/${run.id}`),
  });
  const canCheck = !allIssues.some(blocksHostCheck);
  const canDeploy = allIssues.length === 0;
  const shared = draft.settings.credentialMode === "shared";

  return (
    <section className="space-y-5">
      <p className="text-sm text-slate-700">
        {PROFILE_LABELS[draft.profile]} · {draft.hosts.length} host{draft.hosts.length === 1 ? "" : "s"} ·{" "}
        {shared ? `one login for all: ${draft.settings.sharedSshUser} with ${draft.settings.sharedAuthMethod === "key" ? "a private key" : "a password"}` : "a login per host"}
      </p>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Hosts of the plan</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th className="py-1 font-medium">Host</th>
            <th className="py-1 font-medium">Role</th>
            <th className="py-1 font-medium">Management IP</th>
            <th className="py-1 font-medium">Second IP</th>
            <th className="py-1 font-medium">SSH</th>
          </tr>
        </thead>
        <tbody>
          {draft.hosts.map((host) => (
            <tr key={host.id} className="border-b border-slate-200">
              <td className="py-1 font-medium">{host.name}</td>
              <td className="py-1">{host.role}</td>
              <td className="py-1 font-mono">{host.managementIp}</td>
              <td className="py-1 font-mono">{host.natIp}</td>
              <td className="py-1 font-mono">
                {shared ? draft.settings.sharedSshUser : host.sshUser}@:{host.sshPort}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {allIssues.length > 0 && (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="mb-1 font-medium">{canCheck ? "Before deploying:" : "Before the hosts can be checked:"}</p>
          <ul className="list-disc pl-5">
            {allIssues.map((issue) => (
              <li key={`${issue.path}-${issue.message}`}>
                {issue.message}{" "}
                <Link className="text-blue-800 underline" href={`/plans/${draft.id}/${issue.step}`}>
                  Fix on {STEP_TITLES[issue.step]}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-4">
        <Button onClick={() => start.mutate("host-check")} disabled={!canCheck || start.isPending}>
          Check hosts
        </Button>
        <Button variant="primary" onClick={() => start.mutate("deploy")} disabled={!canDeploy || start.isPending}>
          {start.isPending ? "Starting…" : "Deploy"}
        </Button>
        {canCheck && (
          <Link className="text-sm text-blue-800 underline" href={`/plans/${draft.id}/preview`}>
            Preview the scripts
          </Link>
        )}
        <span className="text-sm text-slate-600">Check hosts only reads; Deploy runs the playbook, skipping what is already done.</span>
      </div>
      {start.isError && (
        <p role="alert" className="text-sm text-red-700">
          {start.error.message}
        </p>
      )}
      {lastDeploy.data && (
        <p className="text-sm">
          <Link className="text-blue-800 underline" href={`/runs/${lastDeploy.data.id}`}>
            Last deployment ({lastDeploy.data.status}, {new Date(lastDeploy.data.createdAt).toLocaleString()})
          </Link>
        </p>
      )}
      {lastCheck.data && (
        <p className="text-sm">
          <Link className="text-blue-800 underline" href={`/runs/${lastCheck.data.id}`}>
            Last host check ({lastCheck.data.status}, {new Date(lastCheck.data.createdAt).toLocaleString()})
          </Link>
        </p>
      )}
    </section>
  );
}
