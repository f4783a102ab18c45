export const dynamic = "force-dynamic";

/** For readiness checks (Playwright's webServer, a process supervisor): answers once the server is up. */
export function GET() {
  return Response.json({ ok: true });
}
