import { randomBytes } from "node:crypto";
import type { BrowserContext } from "@playwright/test";

/** The admin's session on one StackPilot server, for tests that talk to it outside the browser. */
export type ServerSession = {
  cookieName: string;
  token: string;
  csrfToken: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  addTo(context: BrowserContext): Promise<void>;
};

/** The setup token as the server printed it on its console at first start. */
export function setupTokenFromConsole(output: string): string {
  const match = /setup token:\s*\n\s*\n\s+(\S+)\s*\n/.exec(output);
  if (!match) throw new Error(`The server printed no setup token:\n${output}`);
  return match[1];
}

/** Creates the admin account the way the first person does: with the token from the console. */
export async function signInWithSetupToken(url: string, consoleOutput: () => string, password = randomBytes(12).toString("hex")): Promise<ServerSession> {
  const response = await fetch(`${url}/api/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: setupTokenFromConsole(consoleOutput()), username: "admin", password }),
  });
  if (!response.ok) throw new Error(`Setup failed: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const [cookieName, token] = response.headers.get("set-cookie")!.split(";")[0].split("=");
  return {
    cookieName,
    token,
    csrfToken,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("cookie", `${cookieName}=${token}`);
      if (init.method && init.method !== "GET") headers.set("x-csrf-token", csrfToken);
      return fetch(`${url}${path}`, { ...init, headers });
    },
    addTo: (context) => context.addCookies([{ name: cookieName, value: token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Strict" }]),
  };
}
