import { expect, test } from "./support/test";
import type { PlanView } from "../lib/plan/planView";
import type { RunView } from "../lib/runs/runView";
import { drillPlanUpdate } from "../server/testing/drillPlan";
import { startLoopbackSshd, type LoopbackSshd } from "../server/testing/loopbackSshd";

// This spec's own loopback sshd; it is replaced by another with a new host key at the same address.
const ADDRESS = "127.0.0.241";
const PORT = 2222;
const USER = "sp-e2e-hostkey";

let sshd: LoopbackSshd;
test.afterAll(async () => sshd?.stop());

test("a host whose key changed between two checks is refused with both fingerprints, until the new key is trusted in the browser", async ({ page, request }) => {
  sshd = await startLoopbackSshd({ address: ADDRESS, port: PORT, user: USER });
  const created = (await (await request.post("/api/plans")).json()) as PlanView;
  const saved = await request.put(`/api/plans/${created.id}`, { data: drillPlanUpdate(created.settings, [sshd], (name) => `${name}-'"$-key`) });
  expect(saved.ok()).toBe(true);
  const check = async (): Promise<RunView> => {
    const run = (await (await request.post(`/api/plans/${created.id}/host-checks`)).json()) as RunView;
    let now = run;
    await expect.poll(async () => (now = (await (await request.get(`/api/runs/${run.id}`)).json()) as RunView).status, { timeout: 30_000 }).toMatch(/succeeded|failed/);
    return now;
  };

  // First check: the key is pinned, and the review page shows it.
  const first = await check();
  expect(first.status).toBe("succeeded");
  const original = sshd.hostKeyFingerprint;
  await page.goto(`/plans/${created.id}/review`);
  await expect(page.getByText(original)).toBeVisible();

  // The "host" is replaced by another machine at the same address: same password, new host key.
  await sshd.stop();
  sshd = await startLoopbackSshd({ address: ADDRESS, port: PORT, user: USER, password: sshd.password });
  const impostor = sshd.hostKeyFingerprint;
  expect(impostor).not.toBe(original);
  const second = await check();
  expect(second.status).toBe("failed");
  // Refused in the key exchange: the user never got as far as a password.
  expect(sshd.log()).not.toMatch(/Accepted password|Failed password/);

  await page.goto(`/runs/${second.id}`);
  const row = page.getByTestId("host-row-ct");
  await expect(row).toHaveAttribute("data-status", "failed");
  await expect(row).toContainText(`The host key of ct changed: pinned ${original}, now ${impostor}.`);
  await page.getByRole("button", { name: `Trust the new key ${impostor}` }).click();
  await expect(row).toContainText("The new key of ct is trusted. Check the hosts again.");

  const third = await check();
  expect(third.status).toBe("succeeded");
  expect(sshd.log()).toMatch(/Accepted password/);
});
