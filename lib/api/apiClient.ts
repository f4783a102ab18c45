import { IMAGE_FILE_NAME_HEADER, type PlanImageView } from "../plan/planImage";
import type { PlanSaved, PlanUpdate, PlanView } from "../plan/planView";
import type { PlaybookInput } from "../playbook/playbookInput";
import type { Playbook } from "../playbook/types";
import type { PlanIssue } from "../plan/validatePlan";
import type { PortCheckView, RunKind, RunView } from "../runs/runView";

/** An API answer that was not a success, with the server's plain message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: PlanIssue[] = [],
    readonly path?: string,
    /** The whole answer, for errors that carry more (a 409 names the run already going). */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The session's CSRF token, fetched once per page and sent with every request that changes something. */
let csrfToken: string | null = null;
async function sessionCsrfToken(): Promise<string> {
  if (csrfToken) return csrfToken;
  const response = await fetch("/api/auth/session", { cache: "no-store" }).catch(() => null);
  // Not signed in (sign-in and setup need no token) or not reachable: the request itself will say so.
  if (!response?.ok) return "";
  csrfToken = ((await response.json()) as { csrfToken: string }).csrfToken;
  return csrfToken;
}

/** Without a session every API answer is 401: back to the sign-in page, then here again. */
function goSignIn(): void {
  if (typeof window === "undefined" || window.location.pathname === "/login") return;
  window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const method = (init?.method ?? "GET").toUpperCase();
  const csrf: Record<string, string> = UNSAFE_METHODS.has(method) ? { "x-csrf-token": await sessionCsrfToken() } : {};
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...csrf, ...init?.headers } });
  } catch {
    throw new ApiRequestError(0, "The StackPilot server cannot be reached. Is it still running?");
  }
  const body = await response.json().catch(() => null);
  if (response.status === 401 && !url.startsWith("/api/auth/")) goSignIn();
  if (!response.ok) {
    throw new ApiRequestError(response.status, body?.error ?? `The server answered ${response.status}.`, body?.issues ?? [], body?.path, body ?? undefined);
  }
  return body as T;
}

export type UploadProgress = { loadedBytes: number; totalBytes: number };

/**
 * Sends a file as the request body with XMLHttpRequest, the one browser API that reports upload
 * progress. Answers like `request` does; aborting the signal stops the upload.
 */
async function uploadFile<T>(url: string, file: File, onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<T> {
  const csrf = await sessionCsrfToken();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("x-csrf-token", csrf);
    xhr.setRequestHeader(IMAGE_FILE_NAME_HEADER, encodeURIComponent(file.name));
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (event) => onProgress?.({ loadedBytes: event.loaded, totalBytes: event.lengthComputable ? event.total : file.size });
    xhr.onload = () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = null;
      }
      if (xhr.status === 401) goSignIn();
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      reject(new ApiRequestError(xhr.status, typeof body?.error === "string" ? body.error : `The server answered ${xhr.status}.`, [], undefined, body ?? undefined));
    };
    xhr.onerror = () => reject(new ApiRequestError(0, "The StackPilot server cannot be reached. Is it still running?"));
    xhr.onabort = () => reject(new ApiRequestError(0, "The upload was stopped."));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** The typed API the UI reads the server through. */
export const api = {
  authStatus: () => request<{ needsSetup: boolean }>("/api/auth/status"),
  signIn: (credentials: { username: string; password: string }) =>
    request<{ username: string }>("/api/auth/login", { method: "POST", body: JSON.stringify(credentials) }),
  setUp: (input: { token: string; username: string; password: string }) =>
    request<{ username: string }>("/api/auth/setup", { method: "POST", body: JSON.stringify(input) }),
  signOut: () => request<{ signedOut: true }>("/api/auth/logout", { method: "POST" }),
  createPlan: () => request<PlanView>("/api/plans", { method: "POST" }),
  getPlan: (planId: string) => request<PlanView>(`/api/plans/${planId}`),
  /** Saves what is valid; the answer names each value it did not take. */
  updatePlan: (planId: string, update: PlanUpdate) =>
    request<PlanSaved>(`/api/plans/${planId}`, { method: "PUT", body: JSON.stringify(update) }),
  startHostCheck: (planId: string) => request<RunView>(`/api/plans/${planId}/host-checks`, { method: "POST" }),
  /** Starts a deployment; when one is already running, answers with that run instead. */
  startDeployment: async (planId: string): Promise<RunView> => {
    try {
      return await request<RunView>(`/api/plans/${planId}/deployments`, { method: "POST" });
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 409 && error.body?.run) return error.body.run as RunView;
      throw error;
    }
  },
  /** Resumes a stopped deployment; a 409 carrying `planChanges` asks to accept how the plan changed. */
  resumeRun: (runId: string, options: { onlyStepRunId?: string; acceptPlanChanges?: boolean } = {}) =>
    request<RunView>(`/api/runs/${runId}/resume`, { method: "POST", body: JSON.stringify(options) }),
  cancelRun: (runId: string) => request<{ cancelling: true }>(`/api/runs/${runId}/cancel`, { method: "POST" }),
  markStepDone: (runId: string, stepRunId: string) => request<RunView>(`/api/runs/${runId}/steps/${stepRunId}/done`, { method: "POST" }),
  latestRun: (planId: string, kind: RunKind) => request<RunView | null>(`/api/plans/${planId}/runs/latest?kind=${kind}`),
  getRun: (runId: string) => request<RunView>(`/api/runs/${runId}`),
  playbook: (planId: string) => request<{ input: PlaybookInput; playbook: Playbook }>(`/api/plans/${planId}/playbook`),
  portChecks: (runId: string) => request<PortCheckView[]>(`/api/runs/${runId}/port-checks`),
  localLab: () => request<{ up: boolean; hosts: { name: string; managementIp: string }[] }>("/api/local-lab"),
  useLocalLab: (planId: string) => request<PlanView>(`/api/plans/${planId}/local-lab`, { method: "POST" }),
  /** Uploads the plan's VM image (replacing one uploaded before), reporting how much is sent. */
  uploadImage: (planId: string, file: File, onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal) =>
    uploadFile<{ uploadedImage: PlanImageView }>(`/api/plans/${planId}/image`, file, onProgress, signal),
  setImageLoginUser: (planId: string, loginUser: string) =>
    request<{ uploadedImage: PlanImageView }>(`/api/plans/${planId}/image`, { method: "PATCH", body: JSON.stringify({ loginUser }) }),
  removeImage: (planId: string) => request<{ uploadedImage: null }>(`/api/plans/${planId}/image`, { method: "DELETE" }),
  /** Pins the key a host shows now, after the operator confirmed the host was reinstalled. */
  trustHostKey: (planId: string, hostId: string, fingerprint: string) =>
    request<PlanView>(`/api/plans/${planId}/hosts/${hostId}/trust-key`, { method: "POST", body: JSON.stringify({ fingerprint }) }),
};

export const queryKeys = {
  plan: (planId: string) => ["plan", planId] as const,
  /** What the plan builds (the preview, Review's phases): stale once the plan is saved again. */
  playbook: (planId: string) => ["plan", planId, "playbook"] as const,
  run: (runId: string) => ["run", runId] as const,
  portChecks: (runId: string) => ["run", runId, "port-checks"] as const,
  /** Resumes a stopped deployment; a 409 carrying `planChanges` asks to accept how the plan changed. */
  resumeRun: (runId: string, options: { onlyStepRunId?: string; acceptPlanChanges?: boolean } = {}) =>
    request<RunView>(`/api/runs/${runId}/resume`, { method: "POST", body: JSON.stringify(options) }),
  cancelRun: (runId: string) => request<{ cancelling: true }>(`/api/runs/${runId}/cancel`, { method: "POST" }),
  markStepDone: (runId: string, stepRunId: string) => request<RunView>(`/api/runs/${runId}/steps/${stepRunId}/done`, { method: "POST" }),
  latestRun: (planId: string, kind: RunKind) => ["plan", planId, "latest-run", kind] as const,
  localLab: ["local-lab"] as const,
};
