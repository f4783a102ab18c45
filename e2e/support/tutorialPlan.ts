import type { APIRequestContext } from "@playwright/test";
import type { PlanView } from "../../lib/plan/planView";

/**
 * A new plan on the tutorial's topology with the one thing the preview needs besides its hosts: a
 * shared SSH password (no host is ever contacted). Service passwords stay unset.
 */
export async function createPreviewablePlan(request: APIRequestContext): Promise<PlanView> {
  const created = (await (await request.post("/api/plans")).json()) as PlanView;
  const saved = await request.put(`/api/plans/${created.id}`, { data: { secrets: { "ssh.shared.password": "a-test-password-typed-here" } } });
  if (!saved.ok()) throw new Error(`Could not save the SSH password: ${await saved.text()}`);
  return (await saved.json()) as PlanView;
}
