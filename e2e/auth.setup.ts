import { readFileSync, statSync } from "node:fs";
import { expect, test as setup } from "@playwright/test";
import { ADMIN_STATE, MAIN_DATA_DIR, MAIN_SERVER_LOG, saveAdminCsrfToken } from "./support/mainServer";
import { setupTokenFromConsole } from "./support/session";

/**
 * First start, in the browser: every page leads to the sign-in page, which asks for the setup
 * token the server printed on its console; the admin account is made and its session kept for
 * the other specs (project "chromium" depends on this one).
 */
setup("the first person in creates the admin account with the setup token from the console", async ({ page }) => {
  const token = setupTokenFromConsole(readFileSync(MAIN_SERVER_LOG, "utf8"));
  const tokenFile = `${MAIN_DATA_DIR}/setup-token`;
  expect(readFileSync(tokenFile, "utf8").trim()).toBe(token);
  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel(/Setup token|设置令牌/).fill(`not-${token}`);
  await page.getByLabel(/^(User name|用户名)$/).fill("admin");
  const password = `e2e '"$\`\\ ü密 ${Date.now()}`;
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByLabel(/Password again|再次输入密码/).fill(password);
  await page.getByRole("button", { name: /Create account|创建账户/ }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText("That is not the setup token");

  await page.getByLabel(/Setup token|设置令牌/).fill(token);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByLabel(/Password again|再次输入密码/).fill(password);
  await page.getByRole("button", { name: /Create account|创建账户/ }).click();
  await expect(page).toHaveURL(/\/plans\/[^/]+\/hosts$/);
  await expect(page.getByTestId("signed-in-as")).toContainText("admin");
  // Used once, the token is gone from the disk and the server.
  expect(() => statSync(tokenFile)).toThrow();
  expect((await page.request.post("/api/auth/setup", { data: { token, username: "other", password: "0123456789ab" } })).status()).toBe(409);

  await page.context().storageState({ path: ADMIN_STATE });
  const session = await (await page.request.get("/api/auth/session")).json();
  saveAdminCsrfToken(session.csrfToken);
});
