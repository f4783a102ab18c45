import { expect, test } from "./support/test";
import { readLabState } from "../lab/state";

test("Use the local lab fills hosts and credentials, and the three lab hosts check green", async ({ page }) => {
  const lab = await readLabState();
  expect(lab, "the lab must be up (npm test brings it up)").not.toBeNull();

  await page.goto("/");
  await page.getByRole("link", { name: /Hosts/ }).first().click();
  await expect(page).toHaveURL(/\/hosts$/);
  await page.getByRole("button", { name: "Use the local lab" }).click();
  for (const [i, host] of lab!.hosts.entries()) {
    await expect(page.getByLabel(`Name of host ${i + 1}`)).toHaveValue(host.name);
    await expect(page.getByLabel(`Management IP of host ${i + 1}`)).toHaveValue(host.managementIp);
  }
  await expect(page.getByLabel("Target system")).toHaveValue("debian12-zed");

  await page.getByRole("button", { name: "Next: Credentials" }).click();
  await expect(page.getByLabel("One set for all hosts")).toBeChecked();
  await expect(page.getByLabel("SSH user")).toHaveValue("root");
  await expect(page.getByText("Saved (hidden)")).toBeVisible();
  await page.getByRole("button", { name: "Next: Passwords & options" }).click();
  await page.getByRole("button", { name: "Next: Review" }).click();
  await page.getByRole("button", { name: "Check hosts" }).click();

  for (const host of lab!.hosts) {
    const row = page.getByTestId(`host-row-${host.name}`);
    await expect(row).toHaveAttribute("data-status", "succeeded");
    await expect(row).toContainText(`hostname ${host.name}`);
  }
  await expect(page.getByTestId("run-status")).toContainText("succeeded");
  await page.screenshot({ path: "test-results/screenshots/dashboard-lab.png", fullPage: true });
});

test("Next clicked at once after Use the local lab goes on with the lab's hosts, on the page and on the server", async ({ page, request }) => {
  const lab = (await readLabState())!;
  const planId = (await (await request.post("/api/plans")).json()).id as string;
  await page.goto(`/plans/${planId}/hosts`);
  await page.getByRole("button", { name: "Use the local lab" }).click();
  // No wait for the hosts to change: a user who clicks on at once must not send the plan the lab replaces.
  await page.getByRole("button", { name: "Next: Credentials" }).click();
  await expect(page).toHaveURL(/\/credentials$/);
  await page.getByRole("button", { name: "Next: Passwords & options" }).click();
  await page.getByRole("button", { name: "Next: Review" }).click();
  await expect(page.getByText(`root@${lab.hosts[0].managementIp}:${lab.hosts[0].sshPort}`)).toBeVisible();
  const stored = await (await request.get(`/api/plans/${planId}`)).json();
  expect(stored.hosts.map((h: { managementIp: string }) => h.managementIp)).toEqual(lab.hosts.map((h) => h.managementIp));
});
