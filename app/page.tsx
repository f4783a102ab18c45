import { redirect } from "next/navigation";
import { appContext } from "@/server/context";

export const dynamic = "force-dynamic";

/** Reopens the wizard where the user left it, or starts a plan from the tutorial's topology. */
export default async function Home() {
  const { plans } = await appContext();
  const plan = (await plans.latest()) ?? (await plans.createTutorialPlan());
  redirect(`/plans/${plan.id}/${plan.wizardStep}`);
}
