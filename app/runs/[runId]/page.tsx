import { RunDashboard, type RunDashboardData } from "@/components/dashboard/RunDashboard";
import type { PlanSnapshot } from "@/lib/plan/planDiff";
import { runPlanFacts } from "@/lib/runs/runPlan";
import { appContext } from "@/server/context";
import { dashboardRun } from "@/server/runs/dashboardRun";

export const dynamic = "force-dynamic";

/**
 * A run's live dashboard. The page reads the run, its port checks and, for a deployment, the plan
 * the run ran (its snapshot: hosts and options, no secrets) as the API would give them, so the
 * dashboard starts with them instead of asking for them once its code has loaded (two round trips
 * less before a 100-host port matrix shows); everything after comes over the socket.
 */
export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return <RunDashboard runId={runId} initial={await dashboardData(runId)} />;
}

async function dashboardData(runId: string): Promise<RunDashboardData> {
  try {
    const ctx = await appContext();
    const loaded = await dashboardRun(ctx, runId);
    if (!loaded) return { run: null, portChecks: null, plan: null };
    const { run, planSnapshot } = loaded;
    const plan = planSnapshot && run.outline ? runPlanFacts(JSON.parse(planSnapshot) as PlanSnapshot, run.outline) : null;
    return { run, portChecks: await ctx.runs.portChecks(runId), plan };
  } catch (error) {
    // The dashboard works without them: it asks the API itself.
    console.error(`The run page could not read run ${runId}:`, error);
    return { run: null, portChecks: null, plan: null };
  }
}
