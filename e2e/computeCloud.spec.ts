import { expect, test, type Page } from "@playwright/test";
import { execFile } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { readLabState, type LabState } from "../lab/state";
import type { MessageKey } from "../lib/i18n/messages";
import { translate } from "../lib/i18n/translate";
import { serviceSecretsFor } from "../lib/playbook/serviceSecrets";
import type { RunView } from "../lib/runs/runView";
import { onLabHost } from "../server/testing/labPackages";
import { LAB_SERVICE_SECRETS } from "../server/testing/labSecrets";
import { startSignedInServer, type DrillServer } from "./support/drill";

/**
 * Issues 15 and 16's proof: a compute cloud (Keystone, Glance, Placement, Nova, Neutron) deployed
 * from the browser on FRESH lab hosts, with a VM booted and reached on each compute. The lab is re-created first (lab:down, lab:up: same hosts, same keys, nothing
 * installed). Then, as a user: a new plan (compute is the default scope), "Use the local lab",
 * Check hosts (each compute shows the hypervisor its KVM probe decided), the thirteen service
 * passwords typed, Review, Deploy. During a Neutron step the server is killed with -9 and started
 * again: the run shows interrupted, Resume takes it to succeeded, every port green (8778, 8774,
 * 8775, 6080 and 9696 too), every Neutron agent alive, and a VM on c1 and one on c2 booted, pinged,
 * reached over SSH and deleted. A second deployment finds every step done and boots, reaches and
 * deletes two fresh VMs: the agents stay healthy after their ports are deleted.
 *
 * The server is the real one (server/main.ts, production build) on its own port and database, so
 * it can be killed. It leaves the lab deployed with LAB_SERVICE_SECRETS: e2e/labDeploy.spec.ts,
 * which runs after it, finds every step done.
 */
const SERVER_PORT = 3251;
const DATA_DIR = "/tmp/stackpilot-e2e-compute";
const SHOTS = "test-results/screenshots";
const SERVICE_PORTS = [3306, 5672, 25672, 15672, 11211, 2379, 2380, 5000, 9292, 8778, 8774, 8775, 6080, 9696];
const exec = promisify(execFile);
/** The proportional set size of every process on a host (shared pages split between their users), and what uses the most (RSS by command). */
const HOST_MEMORY = String.raw`cat /proc/[0-9]*/smaps_rollup 2>/dev/null | awk '/^Pss:/ {kb += $2} END {printf "%d MiB of processes (PSS); largest: ", kb / 1024}'
ps -eo rss=,comm= | awk '{kb[$2] += $1; n[$2]++} END {for (c in kb) printf "%d %s x%d\n", kb[c] / 1024, c, n[c]}' | sort -rn | head -n 3 | awk '{printf "%s %s MiB RSS; ", $2 " " $3, $1}'`;

let server: DrillServer;
let lab: LabState;
let planId: string;

test.describe.configure({ mode: "serial" });
test.use({ locale: "en-US" });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  mkdirSync(SHOTS, { recursive: true });
  if (!(await readLabState())) throw new Error("The lab is down, and this spec deploys on it: bring it up first (npm test does; or `npm run lab:up` as root).");
  // Fresh hosts: whatever an earlier test deployed is wiped; the hosts keep their keys and root password.
  for (const command of ["down", "up"]) {
    const started = Date.now();
    await exec("node_modules/.bin/tsx", ["lab/cli.ts", command], { timeout: 600_000 });
    console.log(`lab:${command} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  lab = (await readLabState())!;
  server = await startSignedInServer({ entry: "server/main.ts", name: "compute cloud server", port: SERVER_PORT, dataDir: DATA_DIR, env: { SSH_READY_TIMEOUT_MS: "4000" } });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
});

test.beforeEach(async ({ context }) => server.signIn(context));

const runStatus = (page: Page) => page.getByTestId("run-status").locator("[data-status]");

async function runOf(id: string): Promise<RunView> {
  return (await (await server.fetch(`/api/runs/${id}`)).json()) as RunView;
}

/** Wall-clock seconds each phase took: from its first step's start to its last step's end. */
function phaseSeconds(run: RunView): string[] {
  return (run.outline ?? []).map((phase) => {
    const keys = new Set(phase.steps.map((s) => s.key));
    const steps = run.stepRuns.filter((s) => keys.has(s.stepKey) && s.startedAt && s.finishedAt && s.status !== "skipped");
    if (steps.length === 0) return `${phase.key}: skipped`;
    const start = Math.min(...steps.map((s) => Date.parse(s.startedAt!)));
    const end = Math.max(...steps.map((s) => Date.parse(s.finishedAt!)));
    return `${phase.key}: ${((end - start) / 1000).toFixed(0)} s`;
  });
}

async function deployFromReview(page: Page): Promise<string> {
  await page.goto(`${server.url}/plans/${planId}/review`);
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  return page.url().split("/").pop()!;
}

async function expectEveryPortGreen(page: Page) {
  for (const port of SERVICE_PORTS) {
    for (const from of ["wizard", "c1", "c2"]) await expect(page.getByTestId(`port-${from}-ct-${port}`)).toHaveAttribute("data-open", "true");
  }
}

/** What verify.vm printed for each compute's VM (lines "SP_VM host=c1 … ping=ok …"), from the run's log. */
async function vmResults(runId: string): Promise<Record<string, Record<string, string>>> {
  const log = await (await server.fetch(`/api/runs/${runId}/log`)).text();
  const vms: Record<string, Record<string, string>> = {};
  for (const line of log.split("\n")) {
    const at = line.indexOf("SP_VM host=");
    if (at < 0) continue;
    const fields = Object.fromEntries(line.slice(at + "SP_VM ".length).trim().split(/\s+/).map((pair) => pair.split("=") as [string, string]));
    vms[fields.host] = fields;
  }
  console.log(`VMs: ${JSON.stringify(vms)}`);
  expect(log).toContain("SP_VM_DELETED host=c1");
  expect(log).toContain("SP_VM_DELETED host=c2");
  return vms;
}

/** Each compute ran a VM of the built guest that reached ACTIVE and answered ping and SSH, and said it booted. */
async function expectVmsReached(runId: string) {
  const vms = await vmResults(runId);
  for (const host of ["c1", "c2"]) {
    expect(vms[host], host).toMatchObject({ image: "stackpilot-guest", status: "ACTIVE", ping: "ok", ssh: "ok", console: "booted" });
  }
}

/** Every Neutron agent on every host reports alive. */
async function expectAgentsAlive() {
  const ct = lab.hosts.find((h) => h.role === "controller")!;
  const agents = await onLabHost(lab, ct, ". /root/admin-openrc && openstack network agent list -f value -c 'Agent Type' -c Host -c Alive");
  console.log(`agents:\n${agents}`);
  const rows = agents.split("\n").filter(Boolean);
  expect(rows).toHaveLength(6);
  expect(rows.filter((r) => !/ (True|:-\))$/.test(r))).toEqual([]);
}

test("a compute-cloud plan deploys the fresh lab from the browser, survives a kill -9 of the server during Neutron, resumes to succeeded and reaches a VM on each compute", async ({ page }) => {
  test.setTimeout(3_000_000);
  // A new plan, in the wizard: compute is what a new plan deploys.
  await page.goto(server.url);
  await page.getByRole("link", { name: /Hosts/ }).first().click();
  await expect(page).toHaveURL(/\/plans\/[^/]+\/hosts$/);
  planId = page.url().split("/").at(-2)!;
  await page.getByRole("button", { name: "Use the local lab" }).click();
  await expect(page.getByLabel("Target system")).toHaveValue("debian12-zed");
  await page.getByRole("button", { name: "Next: Credentials" }).click();
  await page.getByRole("button", { name: "Next: Passwords & options" }).click();
  await expect(page).toHaveURL(/\/passwords$/);
  const plan = await (await server.fetch(`/api/plans/${planId}`)).json();
  expect(plan.settings.scope).toBe("compute");
  for (const name of serviceSecretsFor("compute")) {
    const label = translate("en", "field.serviceSecret", { label: translate("en", `field.secret.${name}` as MessageKey), name });
    await page.getByLabel(label, { exact: true }).and(page.locator("input")).fill(LAB_SERVICE_SECRETS[name]);
  }
  await page.getByRole("button", { name: "Next: Review" }).click();
  await expect(page).toHaveURL(/\/review$/);

  // Check hosts: each compute shows the hypervisor its own probe decided (on this machine /dev/kvm
  // runs guests at emulation speed only, so QEMU), and that decision is what the deployment uses.
  await page.getByRole("button", { name: "Check hosts" }).click();
  await expect(runStatus(page)).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  for (const name of ["c1", "c2"]) {
    const row = page.getByTestId(`host-row-${name}`);
    await expect(row).toHaveAttribute("data-virt-type", "qemu");
    await expect(row.locator('[data-finding="virtualization"]')).toContainText("Virtualisation: QEMU (software)");
  }
  await expect(page.getByTestId("host-row-ct").locator('[data-finding="virtualization"]')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/compute-check-hosts.png`, fullPage: true });

  // Deploy; kill -9 the server in the middle of Neutron's install on ct (~60 s of apt and dpkg):
  // the resumed step repairs what the kill cut off.
  const deployed = Date.now();
  const runId = await deployFromReview(page);
  const killedStep = "step-neutron.install-ct";
  await expect(page.getByTestId(killedStep)).toHaveAttribute("data-status", "running", { timeout: 1_800_000 });
  await page.waitForTimeout(8_000);
  await server.kill9();
  console.log(`kill -9 of the server during ${killedStep}, ${((Date.now() - deployed) / 1000).toFixed(0)} s into the deployment`);
  await server.restart();
  await page.reload();
  await expect(runStatus(page)).toHaveAttribute("data-status", "interrupted");
  await expect(page.getByTestId(killedStep)).toHaveAttribute("data-status", "interrupted");
  await page.screenshot({ path: `${SHOTS}/compute-interrupted.png`, fullPage: true });

  await page.getByRole("button", { name: "Resume" }).click();
  await expect(runStatus(page)).toHaveAttribute("data-status", "succeeded", { timeout: 1_800_000 });
  const deploySeconds = (Date.now() - deployed) / 1000;
  await expect(page.getByTestId(killedStep)).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("step-verify.compute-ct")).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("step-verify.vm-ct")).toHaveAttribute("data-status", "succeeded");
  // The dashboard shows each VM with the compute it ran on, and every agent.
  for (const host of ["c1", "c2"]) await expect(page.getByTestId("vm-table").getByRole("row").filter({ hasText: host })).toContainText("stackpilot-guest");
  await expect(page.getByTestId("agent-table").getByRole("row")).toHaveCount(7);
  await expectEveryPortGreen(page);
  await page.screenshot({ path: `${SHOTS}/compute-deployed.png`, fullPage: true });

  const run = await runOf(runId);
  console.log(`fresh compute deployment (kill -9 and resume included): ${deploySeconds.toFixed(0)} s; per phase: ${phaseSeconds(run).join(", ")}`);
  // free -m inside a container shows the whole machine: add up the host's own processes instead.
  for (const host of lab.hosts) console.log(`memory on ${host.name} after the deployment: ${await onLabHost(lab, host, HOST_MEMORY)}`);
  // Done: by this run, or found done on the fresh host already (what its image ships).
  expect(run.stepRuns.filter((s) => s.status !== "succeeded" && s.status !== "skipped")).toEqual([]);
  // Each compute's nova-compute runs the hypervisor its host check decided.
  for (const host of lab.hosts.filter((h) => h.role === "compute")) {
    expect(await onLabHost(lab, host, "grep -E '^virt_type' /etc/nova/nova-compute.conf")).toBe("virt_type = qemu");
  }
  await expectVmsReached(runId);
  await expectAgentsAlive();
});

test("a second deployment of the compute cloud finds every step done, and boots and reaches two fresh VMs", async ({ page }) => {
  test.setTimeout(1_200_000);
  const started = Date.now();
  const runId = await deployFromReview(page);
  await expect(runStatus(page)).toHaveAttribute("data-status", "succeeded", { timeout: 1_100_000 });
  console.log(`re-run of the compute cloud: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await expectEveryPortGreen(page);
  const run = await runOf(runId);
  // Only the closing verifications run every time.
  expect(run.stepRuns.filter((s) => s.status !== "skipped").map((s) => `${s.stepKey}@${s.hostName}`).sort()).toEqual(["verify.compute@ct", "verify.network@ct", "verify.openstack@ct", "verify.vm@ct"]);
  await expectVmsReached(runId);
  await expectAgentsAlive();
});
