import { readFileSync, writeFileSync } from "node:fs";

/**
 * The StackPilot server Playwright starts for the whole suite (playwright.config.ts) and the
 * admin session the setup project (e2e/auth.setup.ts) makes on it for the other specs.
 */
export const MAIN_PORT = Number(process.env.E2E_PORT ?? 3100);
export const MAIN_DATA_DIR = process.env.E2E_DATA_DIR ?? "/tmp/stackpilot-e2e-data";
/** Where the server's console goes, so tests can read what it printed (the setup token, leaks). */
export const MAIN_SERVER_LOG = `${MAIN_DATA_DIR}.console.log`;
export const ADMIN_STATE = "test-results/.auth/admin.json";
const ADMIN_CSRF = "test-results/.auth/admin-csrf.txt";

export function saveAdminCsrfToken(token: string): void {
  writeFileSync(ADMIN_CSRF, token, { mode: 0o600 });
}

/** The header every state-changing API request of the admin session carries. */
export function adminCsrfHeaders(): Record<string, string> {
  return { "x-csrf-token": readFileSync(ADMIN_CSRF, "utf8").trim() };
}
