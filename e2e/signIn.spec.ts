import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { io } from "socket.io-client";
import { startDrillServer, type DrillServer } from "./support/drill";
import { adminCsrfHeaders } from "./support/mainServer";
import { setupTokenFromConsole, signInWithSetupToken } from "./support/session";

/** Open without a session, and nothing else. */
const PUBLIC_API = ["GET /api/health", "GET /api/auth/status", "POST /api/auth/login", "POST /api/auth/setup"];

/** Every route file under app/, with [params] filled in, so a new route cannot skip this test. */
function appRoutes(kind: "route.ts" | "page.tsx"): { path: string; methods: string[] }[] {
  const found: { path: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === kind) {
        const route = `/${path.relative("app", dir)}`.replace(/\[[^\]]+\]/g, "x1").replace(/\/$/, "") || "/";
        const methods = [...readFileSync(full, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
        found.push({ path: route, methods });
      }
    }
  };
  walk("app");
  return found;
}

test.describe("without a session", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("every API route answers 401, every page leads to the sign-in page, the socket handshake is refused", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL, maxRedirects: 0 });
    const routes = appRoutes("route.ts");
    expect(routes.length).toBeGreaterThan(20);
    const answered: string[] = [];
    for (const route of routes) {
      for (const method of route.methods) {
        const name = `${method} ${route.path}`;
        const response = await anonymous.fetch(route.path, { method, data: method === "GET" ? undefined : {} });
        answered.push(`${name} → ${response.status()}`);
        if (PUBLIC_API.includes(name)) expect(response.status(), name).not.toBe(401);
        else {
          expect(response.status(), name).toBe(401);
          expect(await response.json()).toEqual({ error: "Sign in first: this StackPilot needs a session." });
        }
      }
    }
    console.log(answered.join("\n"));

    const loginPage = await anonymous.get("/login");
    expect(loginPage.headers()).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "same-origin" });

    const pages = appRoutes("page.tsx");
    expect(pages.map((p) => p.path)).toEqual(expect.arrayContaining(["/", "/login", "/runs/x1", "/plans/x1/x1"]));
    for (const page of pages) {
      const response = await anonymous.get(page.path);
      if (page.path === "/login") {
        expect(response.status()).toBe(200);
        continue;
      }
      expect(response.status(), page.path).toBe(303);
      expect(response.headers().location, page.path).toBe(page.path === "/" ? "/login" : `/login?next=${encodeURIComponent(page.path)}`);
      expect(await response.text(), page.path).toBe("");
    }

    for (const transport of ["websocket", "polling"] as const) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = io(baseURL!, { transports: [transport], reconnection: false, forceNew: true });
        socket.on("connect", () => resolve("connected"));
        socket.on("connect_error", (error) => resolve(`refused: ${error.message}`));
      });
      expect(outcome, transport).toMatch(/^refused/);
    }
    await anonymous.dispose();
  });

  test("a page opened without a session comes back to where it was after signing in", async ({ page }) => {
    await page.goto("/runs/some-run?tab=log");
    await expect(page).toHaveURL(/\/login\?next=%2Fruns%2Fsome-run%3Ftab%3Dlog$/);
    await expect(page.getByRole("heading", { name: /Sign in to StackPilot|登录 StackPilot/ })).toBeVisible();
  });
});

test("a signed-in request that changes something needs the page's CSRF token and the page's own origin", async ({ page, baseURL }) => {
  await page.goto("/");
  const withoutToken = await page.request.post("/api/plans");
  expect(withoutToken.status()).toBe(403);
  expect((await withoutToken.json()).error).toContain("CSRF");
  const otherSite = await page.request.post("/api/plans", { headers: { ...adminCsrfHeaders(), origin: "http://evil.example" } });
  expect(otherSite.status()).toBe(403);
  const wrongToken = await page.request.post("/api/plans", { headers: { "x-csrf-token": "x".repeat(43) } });
  expect(wrongToken.status()).toBe(403);
  const fromThePage = await page.request.post("/api/plans", { headers: { ...adminCsrfHeaders(), origin: baseURL! } });
  expect(fromThePage.ok()).toBe(true);
  // Reading needs no token, and the session cookie is out of reach of scripts and other sites.
  expect((await page.request.get(`/api/plans/${(await fromThePage.json()).id}`)).ok()).toBe(true);
  const cookie = (await page.context().cookies()).find((c) => c.name.startsWith("stackpilot_session_"))!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  expect(await page.evaluate(() => document.cookie)).not.toContain("stackpilot_session_");
});

test.describe("signing in and out", () => {
  const PORT = 3251;
  let server: DrillServer;
  const password = `admin '"$\`\\ ü密 pass`;

  test.beforeAll(async () => {
    server = await startDrillServer({ port: PORT, dataDir: "/tmp/stackpilot-e2e-signin", drillDir: "/tmp/stackpilot-e2e-signin-drill", skipSetup: true });
  });
  test.afterAll(async () => server?.stop());
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the console's setup token makes the admin; wrong passwords are slowed down; sign out ends the session", async ({ page }) => {
    expect(server.output()).toMatch(/create the admin account with this one-time setup token/);
    const session = await signInWithSetupToken(server.url, server.output, password);
    // The token worked once; the console of a restart prints none, as an account exists.
    await server.stop();
    await server.restart();
    expect(server.output()).toMatch(/StackPilot is ready/);
    expect(() => setupTokenFromConsole(server.output())).toThrow();

    await page.goto(`${server.url}/`);
    await expect(page).toHaveURL(`${server.url}/login`);
    const signIn = async (secret: string) => {
      await page.getByLabel(/^(User name|用户名)$/).fill("admin");
      await page.getByLabel(/^(Password|密码)$/).fill(secret);
      await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
    };
    for (let attempt = 1; attempt <= 3; attempt++) {
      await signIn(`wrong ${attempt}`);
      await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong user name or password.");
    }
    // From the 4th wrong password on, each next attempt waits twice as long: 1 s, 2 s, 4 s…
    const login = (secret: string) => page.request.post(`${server.url}/api/auth/login`, { data: { username: "admin", password: secret } });
    expect((await login("wrong 4")).status()).toBe(401);
    const locked = await login(password);
    expect(locked.status()).toBe(429);
    expect(locked.headers()["retry-after"]).toBe("1");
    await page.waitForTimeout(1100);
    expect((await login("wrong 5")).status()).toBe(401);
    await page.waitForTimeout(2100);
    expect((await login("wrong 6")).status()).toBe(401);
    const lockedAt = Date.now();
    await signIn(password);
    await expect(page.getByTestId("sign-in-error")).toHaveText(/^Too many failed attempts\. Try again in [1-4] s\.$/);
    // Even the right password waits its turn; then it works.
    await expect.poll(async () => (await login(password)).status(), { timeout: 10_000, intervals: [500] }).toBe(200);
    console.log(`The right password was accepted again ${Date.now() - lockedAt} ms after the 6th wrong one.`);

    await page.goto(`${server.url}/login`);
    await signIn(password);
    await expect(page).toHaveURL(/\/plans\/[^/]+\/hosts$/);
    await expect(page.getByTestId("signed-in-as")).toContainText("admin");
    await page.getByRole("button", { name: /^(Sign out|退出登录)$/ }).click();
    await expect(page).toHaveURL(`${server.url}/login`);
    expect((await page.request.get(`${server.url}/api/plans/x1`)).status()).toBe(401);
    // The first session (made by the setup) is still good: signing out ends only this browser's.
    expect((await session.fetch("/api/auth/session")).status).toBe(200);
  });
});
