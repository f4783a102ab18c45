import { describe, expect, it } from "vitest";
import { CSRF_FAILED, decide, isSameOrigin, type GateRequest } from "./requestGate";
import type { SignedIn } from "../store/sessionStore";

const session: SignedIn = { sessionId: "s", userId: "u", username: "admin", csrfToken: "c".repeat(43) };
const as = (signedIn: SignedIn | null) => async () => signedIn;
const request = (method: string, url: string, headers: GateRequest["headers"] = {}): GateRequest => ({ method, url, headers: { host: "127.0.0.1:3000", ...headers } });

describe("decide", () => {
  it("lets the sign-in page, its assets and the health probe through without a session", async () => {
    for (const url of ["/login", "/login?next=%2Fruns%2Fx", "/api/health", "/api/auth/status", "/_next/static/chunks/app.js"]) {
      expect(await decide(request("GET", url), as(null), false), url).toEqual({ action: "pass" });
    }
    expect(await decide(request("POST", "/api/auth/login", { origin: "http://127.0.0.1:3000" }), as(null), false)).toEqual({ action: "pass" });
  });

  it("serves the app's icons without a session (the sign-in page shows them), and nothing beside them", async () => {
    for (const url of ["/favicon.ico", "/icon.svg", "/icon-32.png", "/apple-touch-icon.png", "/favicon.ico?v=2"]) {
      expect(await decide(request("GET", url), as(null), false), url).toEqual({ action: "pass" });
    }
    for (const url of ["/icon.svg/../api/plans", "/favicon.ico.bak", "/icons/x.png", "/robots.txt"]) {
      expect(await decide(request("GET", url), as(null), false), url).not.toEqual({ action: "pass" });
    }
  });

  it("answers 401 for the API and sends pages to the sign-in page, remembering where they were", async () => {
    expect(await decide(request("GET", "/api/plans/p1"), as(null), false)).toMatchObject({ action: "reject", status: 401 });
    expect(await decide(request("POST", "/api/plans"), as(null), false)).toMatchObject({ action: "reject", status: 401 });
    expect(await decide(request("GET", "/"), as(null), false)).toEqual({ action: "redirect", location: "/login" });
    expect(await decide(request("GET", "/runs/r1?tab=log"), as(null), false)).toEqual({ action: "redirect", location: "/login?next=%2Fruns%2Fr1%3Ftab%3Dlog" });
    // Development-only paths stay closed in production.
    expect(await decide(request("GET", "/_next/webpack-hmr"), as(null), false)).toMatchObject({ action: "redirect" });
    expect(await decide(request("GET", "/_next/webpack-hmr"), as(null), true)).toEqual({ action: "pass" });
    // A path that only looks public is not.
    expect(await decide(request("GET", "/login/../api/plans"), as(null), false)).toMatchObject({ action: "reject", status: 401 });
    expect(await decide(request("GET", "/api/healthz"), as(null), false)).toMatchObject({ action: "reject", status: 401 });
  });

  it("lets a signed-in reader through without the CSRF token", async () => {
    expect(await decide(request("GET", "/api/plans/p1"), as(session), false)).toEqual({ action: "pass" });
  });

  it("needs the session's CSRF token and the wizard's origin for anything that changes state", async () => {
    const token = { "x-csrf-token": session.csrfToken };
    expect(await decide(request("POST", "/api/plans", token), as(session), false)).toEqual({ action: "pass" });
    expect(await decide(request("PUT", "/api/plans/p1", { ...token, origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }), as(session), false)).toEqual({ action: "pass" });
    const refused = { action: "reject", status: 403, error: CSRF_FAILED };
    expect(await decide(request("POST", "/api/plans"), as(session), false)).toEqual(refused);
    expect(await decide(request("DELETE", "/api/plans/p1", { "x-csrf-token": "c".repeat(42) + "d" }), as(session), false)).toEqual(refused);
    expect(await decide(request("POST", "/api/plans", { "x-csrf-token": "short" }), as(session), false)).toEqual(refused);
    expect(await decide(request("POST", "/api/plans", { ...token, origin: "http://evil.example" }), as(session), false)).toEqual(refused);
    expect(await decide(request("POST", "/api/plans", { ...token, "sec-fetch-site": "cross-site" }), as(session), false)).toEqual(refused);
  });

  it("refuses a sign-in posted from another site (login CSRF)", async () => {
    expect(await decide(request("POST", "/api/auth/login", { origin: "http://evil.example" }), as(null), false)).toEqual({ action: "reject", status: 403, error: CSRF_FAILED });
    expect(await decide(request("POST", "/api/auth/setup", { "sec-fetch-site": "cross-site" }), as(null), false)).toMatchObject({ status: 403 });
  });
});

describe("isSameOrigin", () => {
  it("compares Origin with Host, port included, and treats a malformed Origin as foreign", async () => {
    expect(isSameOrigin({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).toBe(true);
    expect(isSameOrigin({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3001" })).toBe(false);
    expect(isSameOrigin({ host: "127.0.0.1:3000", origin: "null" })).toBe(false);
    expect(isSameOrigin({ host: "127.0.0.1:3000" })).toBe(true);
    expect(isSameOrigin({ host: "127.0.0.1:3000", "sec-fetch-site": "same-site" })).toBe(false);
  });
});
