import { PlaybookPreview } from "@/components/preview/PlaybookPreview";
import { StepIndicator } from "@/components/wizard/StepIndicator";

export default async function PreviewPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  return (
    <>
      <StepIndicator planId={planId} current="review" />
      <PlaybookPreview planId={planId} />
    </>
  );
}
