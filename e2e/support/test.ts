import { test as base } from "@playwright/test";
import { ADMIN_STATE, adminCsrfHeaders } from "./mainServer";

export { expect } from "@playwright/test";

/** Playwright's test, whose `request` is the signed-in admin of the main server (cookie + CSRF token). */
export const test = base.extend({
  request: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL, storageState: ADMIN_STATE, extraHTTPHeaders: adminCsrfHeaders() });
    await use(request);
    await request.dispose();
  },
});
