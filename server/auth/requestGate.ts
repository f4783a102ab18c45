import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { APP_ICON_PATHS } from "@/lib/appIcons";
import type { Auth } from "./auth";
import type { SignedIn } from "../store/sessionStore";

/** What may be fetched without a session: the sign-in page, its assets (the app's icons too), and the health probe. */
const PUBLIC_PATHS = new Set(["/login", "/api/health", "/api/auth/status", "/api/auth/login", "/api/auth/setup", ...APP_ICON_PATHS]);
const PUBLIC_PREFIXES = ["/_next/static/"];
/** Next's development server also loads HMR and source chunks from here. */
const DEV_PUBLIC_PREFIXES = ["/_next/", "/__nextjs"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Headers only the gate sets (a copy sent by the client is replaced or dropped): the socket's
 * address, and the signed-in user name the gate already looked up, for the page frame. */
export const CLIENT_ADDRESS_HEADER = "x-stackpilot-client-address";
export const SIGNED_IN_USER_HEADER = "x-stackpilot-user";

export type GateRequest = { method: string; url: string; headers: IncomingHttpHeaders };
export type GateDecision =
  | { action: "pass" }
  | { action: "reject"; status: 401 | 403; error: string }
  | { action: "redirect"; location: string };

export function isPublicPath(pathname: string, dev: boolean): boolean {
  if (PUBLIC_PATHS.has(pathname)) return true;
  return [...PUBLIC_PREFIXES, ...(dev ? DEV_PUBLIC_PREFIXES : [])].some((prefix) => pathname.startsWith(prefix));
}

/**
 * A browser sends Origin (or Sec-Fetch-Site) with every request a page makes; one that names
 * another site is refused. A client that sends neither is not a browser and cannot be tricked.
 */
export function isSameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin !== undefined) {
    try {
      return new URL(origin).host === headers.host;
    } catch {
      return false;
    }
  }
  const site = headers["sec-fetch-site"];
  return site === undefined || site === "same-origin" || site === "none";
}

function csrfTokenMatches(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== "string" || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

export const CSRF_FAILED = "This request did not come from a StackPilot page (its CSRF token is missing or wrong). Reload the page and try again.";

/**
 * Decides what happens to one request. The session its cookie opens is looked up only for a path
 * that needs one (pure but for that lookup, for tests).
 */
export async function decide(request: GateRequest, lookupSession: () => Promise<SignedIn | null>, dev: boolean): Promise<GateDecision> {
  const url = new URL(request.url, "http://stackpilot.invalid");
  const unsafe = !SAFE_METHODS.has(request.method.toUpperCase());
  if (isPublicPath(url.pathname, dev)) {
    // Sign-in and setup forms only accept posts from the wizard's own pages (login CSRF).
    return unsafe && !isSameOrigin(request.headers) ? { action: "reject", status: 403, error: CSRF_FAILED } : { action: "pass" };
  }
  const signedIn = await lookupSession();
  if (!signedIn) {
    if (url.pathname.startsWith("/api/") || unsafe) return { action: "reject", status: 401, error: "Sign in first: this StackPilot needs a session." };
    const next = url.pathname === "/" ? "" : `?next=${encodeURIComponent(url.pathname + url.search)}`;
    return { action: "redirect", location: `/login${next}` };
  }
  if (unsafe && !(isSameOrigin(request.headers) && csrfTokenMatches(request.headers["x-csrf-token"], signedIn.csrfToken))) {
    return { action: "reject", status: 403, error: CSRF_FAILED };
  }
  return { action: "pass" };
}

/**
 * The one gate in front of Next.js: every page and API request passes here first (socket.io has
 * its own check at the handshake, see realtime/socketServer.ts). Returns true when the request
 * may go on to Next; otherwise it has already been answered.
 */
export function createRequestGate(auth: Auth, dev: boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
    delete req.headers[SIGNED_IN_USER_HEADER];
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers };
    let session: SignedIn | null = null;
    const decision = await decide(request, async () => (session = await auth.signedIn(req.headers.cookie)), dev);
    if (decision.action === "pass") {
      // The page frame shows who is signed in without looking the session up a second time.
      if (session) req.headers[SIGNED_IN_USER_HEADER] = (session as SignedIn).username;
      return true;
    }
    if (decision.action === "redirect") {
      res.writeHead(303, { Location: decision.location, "Cache-Control": "no-store" }).end();
    } else {
      res.writeHead(decision.status, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify({ error: decision.error }));
    }
    return false;
  };
}
