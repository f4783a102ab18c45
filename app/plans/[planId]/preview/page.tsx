import { PlaybookPreview } from "@/components/preview/PlaybookPreview";

export default async function PreviewPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  return <PlaybookPreview planId={planId} />;
}
