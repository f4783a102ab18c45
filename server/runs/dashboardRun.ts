import type { RunView } from "@/lib/runs/runView";
import type { AppContext } from "../context";

/**
 * A run as the dashboard reads it: for a deployment, with the outline of the playbook it ran and
 * the plan snapshot that outline was built from (read once, for the page's plan facts too).
 */
export async function dashboardRun(ctx: AppContext, runId: string): Promise<{ run: RunView; planSnapshot: string | null } | null> {
  const run = await ctx.runs.get(runId);
  if (!run) return null;
  if (run.kind !== "deploy") return { run, planSnapshot: null };
  const planSnapshot = (await ctx.runs.planSnapshot(run.id))!;
  return { run: { ...run, outline: ctx.deploy.outline(planSnapshot) }, planSnapshot };
}
