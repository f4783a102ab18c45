import type { NewSession } from "../store/sessionStore";
import { clearedSessionCookie, sessionCookie } from "./authCookie";
import { CLIENT_ADDRESS_HEADER } from "./requestGate";

/** What the page learns on sign-in: who it is and the CSRF token to send back (never the session token). */
export type SessionView = { username: string; csrfToken: string };

/** The answer to a successful sign-in or setup: the session cookie, and the session's view. */
export function signedInResponse(request: Request, port: number, session: NewSession): Response {
  const secure = request.headers.get("x-forwarded-proto") === "https";
  const body: SessionView = { username: session.username, csrfToken: session.csrfToken };
  return Response.json(body, { headers: { "Set-Cookie": sessionCookie(port, session.token, secure), "Cache-Control": "no-store" } });
}

export function signedOutResponse(port: number): Response {
  return Response.json({ signedOut: true }, { headers: { "Set-Cookie": clearedSessionCookie(port), "Cache-Control": "no-store" } });
}

/** The client's address as the custom server saw the socket (see requestGate.ts). */
export const clientAddress = (request: Request) => request.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined;
