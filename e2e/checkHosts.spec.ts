import { expect, test, type Page } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import type { PlanView } from "../lib/plan/planView";
import { startLoopbackSshd, type LoopbackSshd } from "../server/testing/loopbackSshd";
import { adminCsrfHeaders } from "./support/mainServer";

// This suite's own loopback sshd instances; .133 has nothing listening.
const CT = "127.0.0.131";
const C1 = "127.0.0.132";
const CLOSED = "127.0.0.133";
const PORT = "2222";
const SHOTS = "test-results/screenshots";

let ct: LoopbackSshd;
let c1: LoopbackSshd;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ct = await startLoopbackSshd({ address: CT, port: Number(PORT), user: "sp-e2e" });
  // Same user, same password on the second server: "one set for all" works for both.
  c1 = await startLoopbackSshd({ address: C1, port: Number(PORT), user: "sp-e2e", password: ct.password });
});

test.afterAll(async () => {
  await ct?.stop();
  await c1?.stop();
});

/**
 * The virtualisation line of a compute's row, as the /dev/kvm probe run by the SSH user must find
 * it here: worked out independently (can the user open /dev/kvm at all?), never assumed.
 */
function virtualisationLine(user: string, locale: "en" | "zh-CN"): string | RegExp {
  const userMayOpen = existsSync("/dev/kvm") && spawnSync("runuser", ["-u", user, "--", "test", "-r", "/dev/kvm", "-a", "-w", "/dev/kvm"]).status === 0;
  if (userMayOpen) return locale === "en" ? /Virtualisation: (KVM|QEMU \(software\), guests will be slow) — .*a test guest/ : /虚拟化：(KVM|QEMU（软件模拟）).*a test guest/;
  const reason = existsSync("/dev/kvm") ? `opening /dev/kvm read-write failed: Permission denied (as user ${user})` : "/dev/kvm is missing";
  return locale === "en" ? `Virtualisation: QEMU (software), guests will be slow — /dev/kvm: ${reason}` : `虚拟化：QEMU（软件模拟），虚拟机会较慢 — /dev/kvm：${reason}`;
}

async function setHost(page: Page, n: number, values: { ip: string; port: string }) {
  await page.getByLabel(`Management IP of host ${n}`).fill(values.ip);
  await page.getByLabel(`Second IP of host ${n}`).fill(values.ip);
  await page.getByLabel(`SSH port of host ${n}`).fill(values.port);
}

test.describe.configure({ mode: "serial" });

test("fill the wizard, check hosts over SSH and watch the result live", async ({ page, request }) => {
  // A plan of its own: specs before this one leave theirs with passwords saved. Being the newest, it
  // is the one the wizard reopens at "/" in the tests below.
  const created = await request.post("/api/plans", { headers: adminCsrfHeaders() });
  expect(created.status()).toBe(201);
  const fresh = (await created.json()) as PlanView;
  await page.goto(`/plans/${fresh.id}/hosts`);

  // The tutorial's topology is there to start from.
  await expect(page.getByLabel("Name of host 1")).toHaveValue("ct");
  await expect(page.getByLabel("Management IP of host 1")).toHaveValue("192.168.100.110");
  await expect(page.getByLabel("Second IP of host 2")).toHaveValue("192.168.158.120");
  await expect(page.getByLabel("Name of host 3")).toHaveValue("c2");

  // A typo'd IP and a duplicate name are caught at the field.
  await page.getByLabel("Management IP of host 1").fill("192.168.100.1100");
  await page.getByLabel("Management IP of host 1").blur();
  await expect(page.getByText('"192.168.100.1100" is not a valid IPv4 address')).toBeVisible();
  await page.getByLabel("Name of host 3").fill("c1");
  await page.getByRole("button", { name: "Next: Credentials" }).click();
  await expect(page.getByText('Host name "c1" is used twice.')).toBeVisible();
  await expect(page).toHaveURL(/\/hosts$/);

  await page.getByLabel("Name of host 3").fill("c2");
  await setHost(page, 1, { ip: CT, port: PORT });
  await setHost(page, 2, { ip: C1, port: PORT });
  await setHost(page, 3, { ip: CLOSED, port: PORT });
  await expect(page.locator("main").getByRole("alert")).toHaveCount(0);
  await page.getByRole("button", { name: "Next: Credentials" }).click();

  await expect(page).toHaveURL(/\/credentials$/);
  await page.getByLabel("SSH user").fill("sp-e2e");
  await page.getByRole("button", { name: "Next: Passwords & options" }).click();
  await expect(page.getByText("Enter the SSH password.")).toBeVisible();
  await page.getByLabel("SSH password").fill(ct.password);
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.getByRole("button", { name: "Next: Passwords & options" }).click();
  // Checking hosts needs no service passwords yet: Next goes on, and Deploy waits for them.
  await page.getByRole("button", { name: "Next: Review" }).click();

  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByRole("button", { name: "Deploy" })).toBeDisabled();
  await expect(page.getByText("Set the RabbitMQ password of the openstack user (RABBIT_PASS).")).toBeVisible();
  await page.getByRole("button", { name: "Check hosts" }).click();
  await expect(page).toHaveURL(/\/runs\//);

  const ctRow = page.getByTestId("host-row-ct");
  const c1Row = page.getByTestId("host-row-c1");
  const c2Row = page.getByTestId("host-row-c2");
  await expect(ctRow).toHaveAttribute("data-status", "succeeded");
  await expect(c1Row).toHaveAttribute("data-status", "succeeded");
  await expect(ctRow).toContainText("Debian GNU/Linux");
  await expect(ctRow).toContainText(`${CT} (management) is on this host.`);
  await expect(ctRow).toContainText(ct.hostKeyFingerprint);
  await expect(c2Row).toHaveAttribute("data-status", "failed");
  await expect(c2Row.getByRole("alert")).toHaveText(`Connection refused by ${CLOSED}:${PORT}: nothing is listening on port ${PORT}. Is sshd running, and is the port right?`);
  await expect(page.getByTestId("run-status")).toContainText("failed");
  // How the compute would run guests, from its /dev/kvm probe; the controller runs none.
  await expect(c1Row).toContainText(virtualisationLine("sp-e2e", "en"));
  await expect(ctRow).not.toContainText("Virtualisation");

  // The log streamed in: connection lines for each host, and never the password.
  const log = page.getByRole("log");
  await expect(log).toContainText(`Connecting to sp-e2e@${CT}:${PORT}`);
  await expect(log).toContainText(`Connection refused by ${CLOSED}:${PORT}`);
  expect(await page.content()).not.toContain(ct.password);
  await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

  // The same row in Chinese.
  await page.context().addCookies([{ name: "stackpilot-locale", value: "zh-CN", url: new URL(page.url()).origin }]);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByTestId("host-row-c1")).toContainText(virtualisationLine("sp-e2e", "zh-CN"));
});

test("the wizard reopens where the user left it; a wrong password is a red row with the reason", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/review$/);
  await page.getByRole("link", { name: /Credentials/ }).first().click();
  await expect(page).toHaveURL(/\/credentials$/);
  // The password is stored, and shown only as set.
  await expect(page.getByText("Saved (hidden)")).toBeVisible();

  await page.getByLabel("Different for each host").check();
  await page.getByLabel("SSH user for ct").fill("sp-e2e");
  await page.getByLabel("SSH password for ct").fill(ct.password);
  await page.getByLabel("SSH user for c1").fill("sp-e2e");
  await page.getByLabel("SSH password for c1").fill("definitely-not-it");
  await page.getByLabel("SSH user for c2").fill("sp-e2e");
  await page.getByLabel("SSH password for c2").fill("whatever-it-is");
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.getByRole("button", { name: "Next: Passwords & options" }).click();
  await page.getByRole("button", { name: "Next: Review" }).click();
  await page.getByRole("button", { name: "Check hosts" }).click();

  const c1Row = page.getByTestId("host-row-c1");
  await expect(c1Row).toHaveAttribute("data-status", "failed");
  await expect(c1Row.getByRole("alert")).toHaveText(`sp-e2e@${C1}:${PORT} refused the password: check the user name and the password on the credentials page.`);
  await expect(page.getByTestId("host-row-ct")).toHaveAttribute("data-status", "succeeded");
  await page.screenshot({ path: `${SHOTS}/dashboard-wrong-password.png`, fullPage: true });
});

test("the preview shows each host's scripts, with passwords only as the tutorial's names", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/review$/);
  await page.getByRole("link", { name: "Preview the scripts" }).click();
  await expect(page.getByRole("heading", { name: "Preview" })).toBeVisible();
  const secure = page.getByTestId("preview-mariadb.secure");
  await secure.locator("summary").click();
  await expect(secure).toContainText("uses $MARIADB_ROOT_PASS");
  await expect(secure).toContainText("DROP DATABASE IF EXISTS test;");
  await page.getByRole("combobox", { name: /^Host/ }).selectOption({ label: "c1 (compute)" });
  await expect(page.getByTestId("preview-mariadb.secure")).toHaveCount(0);
  await expect(page.getByTestId("preview-chrony.computes")).toBeVisible();
  expect(await page.content()).not.toContain(ct.password);
});
