import { RunDashboard } from "@/components/dashboard/RunDashboard";

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return <RunDashboard runId={runId} />;
}
