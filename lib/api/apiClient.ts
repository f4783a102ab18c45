import type { PlanUpdate, PlanView } from "../plan/planView";
import type { PlanIssue } from "../plan/validatePlan";
import type { RunKind, RunView } from "../runs/runView";

/** An API answer that was not a success, with the server's plain message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: PlanIssue[] = [],
    readonly path?: string,
  ) {
    super(message);
  }
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  } catch {
    throw new ApiRequestError(0, "The StackPilot server cannot be reached. Is it still running?");
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiRequestError(response.status, body?.error ?? `The server answered ${response.status}.`, body?.issues ?? [], body?.path);
  }
  return body as T;
}

/** The typed API the UI reads the server through. */
export const api = {
  createPlan: () => request<PlanView>("/api/plans", { method: "POST" }),
  getPlan: (planId: string) => request<PlanView>(`/api/plans/${planId}`),
  updatePlan: (planId: string, update: PlanUpdate) =>
    request<PlanView>(`/api/plans/${planId}`, { method: "PUT", body: JSON.stringify(update) }),
  startHostCheck: (planId: string) => request<RunView>(`/api/plans/${planId}/host-checks`, { method: "POST" }),
  latestRun: (planId: string, kind: RunKind) => request<RunView | null>(`/api/plans/${planId}/runs/latest?kind=${kind}`),
  getRun: (runId: string) => request<RunView>(`/api/runs/${runId}`),
  localLab: () => request<{ up: boolean; hosts: { name: string; managementIp: string }[] }>("/api/local-lab"),
  useLocalLab: (planId: string) => request<PlanView>(`/api/plans/${planId}/local-lab`, { method: "POST" }),
};

export const queryKeys = {
  plan: (planId: string) => ["plan", planId] as const,
  run: (runId: string) => ["run", runId] as const,
  latestRun: (planId: string, kind: RunKind) => ["plan", planId, "latest-run", kind] as const,
  localLab: ["local-lab"] as const,
};
