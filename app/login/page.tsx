import { SignInForm } from "@/components/auth/SignInForm";
import { safeNext } from "@/lib/api/safeNext";
import { appContext } from "@/server/context";

export const dynamic = "force-dynamic";

/** The one page open without a session: sign in, or on first start create the admin account. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { auth } = await appContext();
  return <SignInForm needsSetup={await auth.needsSetup()} next={safeNext((await searchParams).next)} />;
}
