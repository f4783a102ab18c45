import { defineConfig } from "@playwright/test";
import { ADMIN_STATE, MAIN_DATA_DIR as DATA_DIR, MAIN_PORT as PORT, MAIN_SERVER_LOG } from "./e2e/support/mainServer";

/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser) against the production build
 * served by the real custom server on a scratch database. `npm test` builds first.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-report.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    // First start in the browser: the admin account from the setup token; its session is kept for the rest.
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "chromium", dependencies: ["setup"], use: { storageState: ADMIN_STATE } },
  ],
  webServer: {
    // The console goes to a file: the setup spec reads the token there, the secrets spec searches it.
    command: `rm -rf ${DATA_DIR} && exec node_modules/.bin/tsx server/main.ts > ${MAIN_SERVER_LOG} 2>&1`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { NODE_ENV: "production", PORT: String(PORT), HOST: "127.0.0.1", DATA_DIR, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", SSH_READY_TIMEOUT_MS: "4000" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
