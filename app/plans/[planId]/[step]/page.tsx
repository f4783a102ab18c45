import { notFound } from "next/navigation";
import { Wizard } from "@/components/wizard/Wizard";
import { WIZARD_STEPS, type WizardStep } from "@/lib/plan/planView";

export default async function WizardPage({ params }: { params: Promise<{ planId: string; step: string }> }) {
  const { planId, step } = await params;
  if (!(WIZARD_STEPS as readonly string[]).includes(step)) notFound();
  return <Wizard planId={planId} step={step as WizardStep} />;
}
