import { RunDashboard } from "@/components/dashboard/RunDashboard";
import type { PlanSnapshot } from "@/lib/plan/planDiff";
import { runPlanFacts, type RunPlanFacts } from "@/lib/runs/runPlan";
import { appContext } from "@/server/context";

export const dynamic = "force-dynamic";

/**
 * A run's live dashboard. For a deployment the page reads the plan the run ran (its snapshot:
 * hosts and options, no secrets) once, for the topology and the port matrix's rows; everything
 * live comes to the dashboard over the API and the socket.
 */
export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return <RunDashboard runId={runId} plan={await planFacts(runId)} />;
}

async function planFacts(runId: string): Promise<RunPlanFacts | null> {
  try {
    const ctx = await appContext();
    const run = await ctx.runs.get(runId);
    if (run?.kind !== "deploy") return null;
    const snapshot = await ctx.runs.planSnapshot(runId);
    return snapshot ? runPlanFacts(JSON.parse(snapshot) as PlanSnapshot, ctx.deploy.outline(snapshot)) : null;
  } catch (error) {
    // The dashboard works without them (no topology, the port matrix from the checks alone).
    console.error(`The run page could not read the plan of run ${runId}:`, error);
    return null;
  }
}
