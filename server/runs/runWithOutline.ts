import type { RunView } from "@/lib/runs/runView";
import type { AppContext } from "../context";

/** A run as the dashboard reads it: for a deployment, with the outline of the playbook it ran. */
export async function runWithOutline(ctx: AppContext, runId: string): Promise<RunView | null> {
  const run = await ctx.runs.get(runId);
  if (!run || run.kind !== "deploy") return run;
  return { ...run, outline: ctx.deploy.outline((await ctx.runs.planSnapshot(run.id))!) };
}
