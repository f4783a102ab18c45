import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import type { PlanView } from "../lib/plan/planView";
import { startSignedInServer, type DrillServer } from "./support/drill";

/**
 * Issue 16, the wizard's half: "Upload your own image" on the passwords page. A qcow2-like file
 * goes up with a progress bar (the browser's upload slowed so it can be seen), the result shows
 * name, size and format, Remove forgets it, a second upload is kept with its login user across a
 * reload, and Review names it. The real server (production build) on its own port and database.
 */
const SERVER_PORT = 3301;
const DATA_DIR = "/tmp/stackpilot-e2e-image-upload";
const FILE_NAME = "cirros-0.3.5-x86_64-disk.img";
const SIZE = 6 * 1024 * 1024;

let server: DrillServer;
let planId: string;

test.describe.configure({ mode: "serial" });
test.use({ locale: "en-US" });

test.beforeAll(async () => {
  server = await startSignedInServer({ entry: "server/main.ts", name: "image upload server", port: SERVER_PORT, dataDir: DATA_DIR });
  planId = ((await (await server.fetch("/api/plans", { method: "POST" })).json()) as PlanView).id;
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
});

test.beforeEach(async ({ context }) => server.signIn(context));

/** A file that starts like a qcow2 disk (its magic, QFI\xfb) and is random after. */
function qcow2Like(): Buffer {
  const file = randomBytes(SIZE);
  Buffer.from([0x51, 0x46, 0x49, 0xfb]).copy(file);
  return file;
}

async function storedImage() {
  return ((await (await server.fetch(`/api/plans/${planId}`)).json()) as PlanView).uploadedImage;
}

test("upload an image with a progress bar, remove it, upload again: the plan keeps it after a reload", async ({ page, context }) => {
  await page.goto(`${server.url}/plans/${planId}/passwords`);
  const section = page.getByTestId("image-upload");
  await expect(section.getByText("No image uploaded")).toBeVisible();

  // 2 MiB/s up: the 6 MiB upload takes about 3 s, long enough to watch its bar move.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });

  await page.getByLabel("Upload your own image").setInputFiles({ name: FILE_NAME, mimeType: "application/octet-stream", buffer: qcow2Like() });
  const bar = page.getByRole("progressbar", { name: `Upload of ${FILE_NAME}` });
  await expect(bar).toBeVisible();
  await expect(section.getByText(`Uploading ${FILE_NAME}…`)).toBeVisible();
  // The bar moves while the file is on its way: some of it sent, not all.
  await expect.poll(async () => Number(await bar.getAttribute("aria-valuenow").catch(() => "100")), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/screenshots/image-upload-progress.png", fullPage: true });

  const summary = page.getByTestId("uploaded-image-summary");
  await expect(summary).toHaveText(`${FILE_NAME} · 6.0 MiB · qcow2`);
  await expect(bar).toBeHidden();
  await expect(page.getByLabel("VM login user")).toHaveValue("cirros");
  expect(await storedImage()).toMatchObject({ fileName: FILE_NAME, bytes: SIZE, diskFormat: "qcow2", loginUser: "cirros" });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  await section.getByRole("button", { name: "Remove" }).click();
  await expect(section.getByText("No image uploaded")).toBeVisible();
  await expect(summary).toBeHidden();
  expect(await storedImage()).toBeNull();

  await page.getByLabel("Upload your own image").setInputFiles({ name: FILE_NAME, mimeType: "application/octet-stream", buffer: qcow2Like() });
  await expect(summary).toHaveText(`${FILE_NAME} · 6.0 MiB · qcow2`);
  const loginUser = page.getByLabel("VM login user");
  await loginUser.fill("ubuntu");
  await loginUser.blur();
  await expect.poll(async () => (await storedImage())?.loginUser).toBe("ubuntu");
  await page.screenshot({ path: "test-results/screenshots/image-uploaded.png", fullPage: true });

  await page.reload();
  await expect(page.getByTestId("uploaded-image-summary")).toHaveText(`${FILE_NAME} · 6.0 MiB · qcow2`);
  await expect(page.getByLabel("VM login user")).toHaveValue("ubuntu");

  await page.goto(`${server.url}/plans/${planId}/review`);
  await expect(page.getByTestId("review-image")).toHaveText(`Image cirros: ${FILE_NAME} (6.0 MiB, qcow2), login user ubuntu`);
});

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("the image section and Review speak the reader's language", async ({ page }) => {
    await page.goto(`${server.url}/plans/${planId}/passwords`);
    await expect(page.getByRole("heading", { name: "虚拟机镜像" })).toBeVisible();
    await expect(page.getByLabel("上传另一个镜像")).toBeAttached();
    await expect(page.getByLabel("虚拟机登录用户")).toHaveValue("ubuntu");
    await page.goto(`${server.url}/plans/${planId}/review`);
    await expect(page.getByTestId("review-image")).toHaveText(`镜像 cirros: ${FILE_NAME}（6.0 MiB，qcow2），登录用户 ubuntu`);
  });
});
