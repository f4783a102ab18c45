import { describe, expect, it } from "vitest";
import { CSRF_FAILED, decide, isSameOrigin, type GateRequest } from "./requestGate";
import type { SignedIn } from "./sessionStore";

const session: SignedIn = { sessionId: "s", userId: "u", username: "admin", csrfToken: "c".repeat(43) };
const request = (method: string, url: string, headers: GateRequest["headers"] = {}): GateRequest => ({ method, url, headers: { host: "127.0.0.1:3000", ...headers } });

describe("decide", () => {
  it("lets the sign-in page, its assets and the health probe through without a session", () => {
    for (const url of ["/login", "/login?next=%2Fruns%2Fx", "/api/health", "/api/auth/status", "/_next/static/chunks/app.js"]) {
      expect(decide(request("GET", url), null, false), url).toEqual({ action: "pass" });
    }
    expect(decide(request("POST", "/api/auth/login", { origin: "http://127.0.0.1:3000" }), null, false)).toEqual({ action: "pass" });
  });

  it("answers 401 for the API and sends pages to the sign-in page, remembering where they were", () => {
    expect(decide(request("GET", "/api/plans/p1"), null, false)).toMatchObject({ action: "reject", status: 401 });
    expect(decide(request("POST", "/api/plans"), null, false)).toMatchObject({ action: "reject", status: 401 });
    expect(decide(request("GET", "/"), null, false)).toEqual({ action: "redirect", location: "/login" });
    expect(decide(request("GET", "/runs/r1?tab=log"), null, false)).toEqual({ action: "redirect", location: "/login?next=%2Fruns%2Fr1%3Ftab%3Dlog" });
    // Development-only paths stay closed in production.
    expect(decide(request("GET", "/_next/webpack-hmr"), null, false)).toMatchObject({ action: "redirect" });
    expect(decide(request("GET", "/_next/webpack-hmr"), null, true)).toEqual({ action: "pass" });
    // A path that only looks public is not.
    expect(decide(request("GET", "/login/../api/plans"), null, false)).toMatchObject({ action: "reject", status: 401 });
    expect(decide(request("GET", "/api/healthz"), null, false)).toMatchObject({ action: "reject", status: 401 });
  });

  it("lets a signed-in reader through without the CSRF token", () => {
    expect(decide(request("GET", "/api/plans/p1"), session, false)).toEqual({ action: "pass" });
  });

  it("needs the session's CSRF token and the wizard's origin for anything that changes state", () => {
    const token = { "x-csrf-token": session.csrfToken };
    expect(decide(request("POST", "/api/plans", token), session, false)).toEqual({ action: "pass" });
    expect(decide(request("PUT", "/api/plans/p1", { ...token, origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }), session, false)).toEqual({ action: "pass" });
    const refused = { action: "reject", status: 403, error: CSRF_FAILED };
    expect(decide(request("POST", "/api/plans"), session, false)).toEqual(refused);
    expect(decide(request("DELETE", "/api/plans/p1", { "x-csrf-token": "c".repeat(42) + "d" }), session, false)).toEqual(refused);
    expect(decide(request("POST", "/api/plans", { "x-csrf-token": "short" }), session, false)).toEqual(refused);
    expect(decide(request("POST", "/api/plans", { ...token, origin: "http://evil.example" }), session, false)).toEqual(refused);
    expect(decide(request("POST", "/api/plans", { ...token, "sec-fetch-site": "cross-site" }), session, false)).toEqual(refused);
  });

  it("refuses a sign-in posted from another site (login CSRF)", () => {
    expect(decide(request("POST", "/api/auth/login", { origin: "http://evil.example" }), null, false)).toEqual({ action: "reject", status: 403, error: CSRF_FAILED });
    expect(decide(request("POST", "/api/auth/setup", { "sec-fetch-site": "cross-site" }), null, false)).toMatchObject({ status: 403 });
  });
});

describe("isSameOrigin", () => {
  it("compares Origin with Host, port included, and treats a malformed Origin as foreign", () => {
    expect(isSameOrigin({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).toBe(true);
    expect(isSameOrigin({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3001" })).toBe(false);
    expect(isSameOrigin({ host: "127.0.0.1:3000", origin: "null" })).toBe(false);
    expect(isSameOrigin({ host: "127.0.0.1:3000" })).toBe(true);
    expect(isSameOrigin({ host: "127.0.0.1:3000", "sec-fetch-site": "same-site" })).toBe(false);
  });
});
