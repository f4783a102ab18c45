import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planSettingsSchema, type PlanUpdate } from "@/lib/plan/planView";
import { allSteps, buildPlaybook, hostsForStep } from "@/lib/playbook/buildPlaybook";
import { playbookInputFromPlan } from "@/lib/playbook/playbookInput";
import type { PlaybookScope } from "@/lib/playbook/scope";
import { ALL_SERVICE_SECRETS, serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import { sampleVerifyOutput, SAMPLE_TOKEN } from "@/lib/report/reportFixture";
import { REPORT_FORMATS } from "@/lib/report/renderReport";
import type { RunView } from "@/lib/runs/runView";
import type { StepStatus } from "@/lib/runs/status";
import { GET } from "@/app/api/runs/[runId]/report/route";
import { leaks } from "../testing/secretLeaks";
import { createTestContext } from "../testing/testContext";
import { exportReport, loadReport } from "./loadReport";

const run = promisify(execFile);
let ctx: Awaited<ReturnType<typeof createTestContext>>;

/** Secret values that leaked into every stored text a report reads; none may leave in a report. */
const CANARY = `Cn<&>"q-${randomBytes(6).toString("hex")}`;
const SSH_CANARY = `ssh-${randomBytes(8).toString("hex")}`;

beforeAll(async () => {
  ctx = await createTestContext();
  // The route handler asks for the process's context: this one.
  (globalThis as { stackpilotContext?: Promise<unknown> }).stackpilotContext = Promise.resolve(ctx);
});

afterAll(async () => {
  delete (globalThis as { stackpilotContext?: Promise<unknown> }).stackpilotContext;
  await ctx?.dispose();
});

/** A Debian 12 plan with a controller and `computes` computes, every secret set; the image name holds the canary. */
async function newPlan(computes: number, imageName = "cirros", scope: PlaybookScope = "tutorial") {
  const plan = await ctx.plans.createTutorialPlan();
  const update: PlanUpdate = {
    name: "Report drill",
    profile: "debian12-zed",
    hosts: Array.from({ length: computes + 1 }, (_, i) => ({
      id: randomUUID(),
      name: i === 0 ? "ct" : `c${i}`,
      role: i === 0 ? ("controller" as const) : ("compute" as const),
      managementIp: `192.168.100.${110 + i * 10}`,
      natIp: `192.168.158.${110 + i * 10}`,
      sshPort: 22,
      sshUser: "root",
      authMethod: "password" as const,
    })),
    settings: planSettingsSchema.parse({ imageName, scope }),
    secrets: {
      "ssh.shared.password": SSH_CANARY,
      ...Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [serviceSecretKey(name), name === "ADMIN_PASS" ? CANARY : `${name.toLowerCase()}-${randomBytes(6).toString("hex")}`])),
    },
  };
  await ctx.plans.update(plan.id, update);
  return (await ctx.plans.loadForRun(plan.id))!;
}

type Outcome = { status: StepStatus; result?: unknown; error?: string };

/** A deployment as the runner records it, each step run moved through running to its outcome. */
async function recordRun(plan: Awaited<ReturnType<typeof newPlan>>, outcome: (stepKey: string, hostName: string) => Outcome, runError?: string): Promise<RunView> {
  const input = playbookInputFromPlan(plan.view);
  const playbook = buildPlaybook(input);
  const steps = allSteps(playbook).flatMap(({ step }) => hostsForStep(step, input.hosts).map((host) => ({ stepKey: step.key, hostId: host.id, hostName: host.name })));
  const created = await ctx.runs.create({ plan, kind: "deploy", steps });
  await ctx.runs.moveRun(created.id, "running");
  await ctx.logs.openRun(created.id);
  let stopped = false;
  for (const stepRun of created.stepRuns) {
    if (stopped) break;
    const { status, result, error } = outcome(stepRun.stepKey, stepRun.hostName);
    if (status === "pending") continue;
    await ctx.runs.moveStep(stepRun.id, "running");
    ctx.logs.append(created.id, stepRun.id, "system", `▶ ${stepRun.stepKey} on ${stepRun.hostName}`);
    if (status === "failed" || status === "interrupted") {
      ctx.logs.append(created.id, stepRun.id, "stderr", `mysql: Access denied for user 'root' with password ${CANARY}`);
      stopped = true;
    }
    await ctx.runs.moveStep(stepRun.id, status, { ...(result !== undefined ? { result } : {}), ...(error ? { error } : {}), exitCode: status === "succeeded" ? 0 : null });
  }
  await ctx.logs.flush();
  await ctx.runs.moveRun(created.id, stopped ? "failed" : "succeeded", runError ?? null);
  return (await ctx.runs.get(created.id))!;
}

const verified = (stepKey: string, hostName: string, extra: string[] = []) => ({ verifyOutput: [...sampleVerifyOutput(stepKey, hostName), ...extra] });

describe("the install report from the database", () => {
  let earlier: RunView;
  let report: RunView;

  beforeAll(async () => {
    const plan = await newPlan(2, SSH_CANARY);
    // A first deployment verified everything (and the service project's output names the canary).
    earlier = await recordRun(plan, (key, host) => ({ status: "succeeded", result: verified(key, host, key === "keystone.service-project" ? [`leaked ${CANARY}`] : []) }));
    // The second finds some steps done, and fails at the image with the canary all over the triage.
    report = await recordRun(
      plan,
      (key, host) => {
        if (key === "keystone.service-project" || key === "chrony.cron") return { status: "skipped" };
        if (key === "keystone.bootstrap") return { status: "succeeded", result: verified(key, host, [`OS_PASSWORD=${CANARY}`]) };
        if (key === "glance.image") {
          return {
            status: "failed",
            error: `Upload failed (exit code 1): wrong password ${CANARY}`,
            result: { triage: { hint: `Check ${CANARY}`, lastLines: [`line with ${CANARY}`, `ssh ${SSH_CANARY}`], sections: [{ title: "glance-api: status", command: "systemctl status glance-api", output: `pw=${CANARY}` }] } },
          };
        }
        return { status: "succeeded", result: key.startsWith("keystone") || key.startsWith("glance") ? verified(key, host) : undefined };
      },
      `Stopped: ${CANARY}`,
    );
    await ctx.runs.recordPortCheck(report.id, { fromHost: "c1", toHost: "ct", port: 5000, open: false, error: `refused ${SSH_CANARY}`, checkedAt: new Date().toISOString() });
    await ctx.runs.recordPortCheck(report.id, { fromHost: "wizard", toHost: "ct", port: 5000, open: true, error: null, checkedAt: new Date().toISOString() });
  });

  it("never lets a secret value of the plan out, in any format or language, though the stored rows hold it", async () => {
    for (const format of REPORT_FORMATS) {
      for (const locale of ["en", "zh-CN"] as const) {
        const exported = (await exportReport(ctx, report.id, format, { locale }))!;
        expect(exported.body.length, `${format} ${locale}`).toBeGreaterThan(10_000);
        expect(leaks(exported.body, CANARY), `ADMIN_PASS in ${format} ${locale}`).toBe(false);
        expect(leaks(exported.body, SSH_CANARY), `SSH password in ${format} ${locale}`).toBe(false);
        expect(exported.body).not.toContain(SAMPLE_TOKEN);
        expect(exported.body).toContain("••••••");
      }
    }
    const data = (await loadReport(ctx, report.id, { locale: "en" }))!;
    // Masked where it leaked, not dropped: the line is still there.
    expect(data.verification.find((v) => v.stepKey === "keystone.bootstrap")?.lines).toContain("OS_PASSWORD=••••••");
    expect(data.failures[0]).toMatchObject({ stepKey: "glance.image", error: "Upload failed (exit code 1): wrong password ••••••", hint: "Check ••••••" });
    expect(data.run.error).toBe("Stopped: ••••••");
    expect(data.openrc?.text).toContain("export OS_PASSWORD=••••••");
  });

  it("shows what verify printed, from an earlier deployment for a step this one found done", async () => {
    const data = (await loadReport(ctx, report.id, { locale: "en" }))!;
    const project = data.verification.find((v) => v.stepKey === "keystone.service-project")!;
    expect(project).toMatchObject({ status: "skipped", source: { kind: "earlier-run", runId: earlier.id } });
    expect(project.lines).toContain("leaked ••••••");
    expect(data.verification.find((v) => v.stepKey === "glance.identity")?.source).toMatchObject({ kind: "this-run", runId: report.id });
    expect(data.verification.find((v) => v.stepKey === "glance.image")?.source).toEqual({ kind: "none" });
    expect(data.ports.map((p) => [p.fromHost, p.port, p.open, p.label])).toEqual([
      ["c1", 5000, false, "Keystone"],
      ["wizard", 5000, true, "Keystone"],
    ]);
    expect(data.failures).toHaveLength(1);
    expect(data.commands.map((c) => c.fileName)).toEqual(["ct.sh", "c1.sh", "c2.sh"]);
  });

  it("takes a failed step's log tail from the log when it has no triage", async () => {
    const plan = await newPlan(1);
    const interrupted = await recordRun(plan, (key) => (key === "mariadb.install" ? { status: "interrupted", error: "The server stopped." } : { status: "succeeded" }));
    const data = (await loadReport(ctx, interrupted.id, { locale: "en" }))!;
    expect(data.failures).toHaveLength(1);
    expect(data.failures[0]).toMatchObject({ stepKey: "mariadb.install", status: "interrupted", error: "The server stopped." });
    expect(data.failures[0].logTail).toEqual(["▶ mariadb.install on ct", "mysql: Access denied for user 'root' with password ••••••"]);
  });

  it("serves it as a download: GET /api/runs/:id/report in the UI's language unless asked", async () => {
    const get = (query: string, headers: Record<string, string> = {}, runId = report.id) =>
      GET(new Request(`http://127.0.0.1/api/runs/${runId}/report${query}`, { headers }), { params: Promise.resolve({ runId }) });

    const html = await get("?format=html", { cookie: "other=1; stackpilot-locale=zh-CN", "accept-language": "en-US" });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-disposition")).toBe(`attachment; filename="stackpilot-report-${report.id}.html"`);
    expect(html.headers.get("content-language")).toBe("zh-CN");
    expect(await html.text()).toContain("StackPilot 安装报告");

    const md = await get("?format=md", { "accept-language": "zh-TW,zh;q=0.9" });
    expect(md.headers.get("content-disposition")).toBe(`attachment; filename="stackpilot-report-${report.id}.md"`);
    expect(await md.text()).toContain("# StackPilot 安装报告");

    const json = await get("?format=json&lang=en", { cookie: "stackpilot-locale=zh-CN" });
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const data = await json.json();
    expect(data).toMatchObject({ kind: "stackpilot-install-report", locale: "en", run: { id: report.id } });

    expect((await get("")).headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect((await get("?format=pdf")).status).toBe(400);
    expect((await get("?lang=fr")).status).toBe(400);
    expect((await get("?format=md", {}, "no-such-run")).status).toBe(404);
    const check = await ctx.runs.create({ plan: { view: (await ctx.plans.latest())!, secretsSetAt: {} }, kind: "host-check", steps: [] });
    const refused = await get("", {}, check.id);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/Only a deployment/);
  });

  it("is what `npm run report` writes, from the database in DATA_DIR", { timeout: 180_000 }, async () => {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const options = { env: { ...process.env, DATA_DIR: ctx.env.dataDir }, cwd: process.cwd() };
    const out = path.join(ctx.env.dataDir, "report.html");
    // Three processes at once: each spends its seconds starting tsx.
    const [{ stdout }, written, unknown] = await Promise.all([
      run(tsx, ["scripts/report.ts", "--run", report.id, "--format", "md", "--lang", "zh-CN"], options),
      run(tsx, ["scripts/report.ts", "--run", report.id, "--format", "html", "--out", out], options),
      run(tsx, ["scripts/report.ts", "--run", "no-such-run"], options).catch((error) => error as { code: number; stderr: string }),
    ]);
    expect(stdout).toContain("# StackPilot 安装报告");
    expect(leaks(stdout, CANARY)).toBe(false);
    expect(written.stderr).toContain(`wrote ${out}`);
    expect(readFileSync(out, "utf8")).toContain('<section id="verification">');
    expect(unknown).toMatchObject({ code: 2 });
    expect((unknown as { stderr: string }).stderr.trim()).toBe(`No run no-such-run in ${path.join(ctx.env.dataDir, "stackpilot.db")}.`);
  });

  it("stays small for a deployment of about 100 step runs (sizes printed)", async () => {
    const plan = await newPlan(7);
    const big = await recordRun(plan, (key, host) => ({ status: "succeeded", result: verified(key, host) }));
    expect(big.stepRuns.length).toBeGreaterThanOrEqual(90);
    const sizes: Record<string, number> = {};
    for (const format of REPORT_FORMATS) {
      const started = performance.now();
      const exported = (await exportReport(ctx, big.id, format, { locale: "en" }))!;
      sizes[format] = Buffer.byteLength(exported.body);
      sizes[`${format} ms`] = Math.round(performance.now() - started);
    }
    console.log(`Report of ${big.stepRuns.length} step runs, 8 hosts (bytes, ms):`, sizes);
    for (const format of REPORT_FORMATS) expect(sizes[format]).toBeLessThan(2_000_000);
  });

  it("follows the run's scope: a compute cloud's findings per compute, and a run from before scopes as the tutorial", async () => {
    const cloud = await recordRun(await newPlan(2, "cirros", "compute"), (key, host) => ({ status: "succeeded", result: verified(key, host) }));
    const data = (await loadReport(ctx, cloud.id, { locale: "en" }))!;
    expect(data.plan.scope).toBe("compute");
    expect(data.phases.map((p) => p.key)).toEqual(expect.arrayContaining(["placement", "nova", "nova-compute"]));
    const computeCheck = data.verification.find((v) => v.stepKey === "verify.compute")!;
    expect(computeCheck.source).toMatchObject({ kind: "this-run", runId: cloud.id });
    expect(computeCheck.compute?.computes.map((c) => [c.host, c.novaCompute, c.hypervisor, c.resourceProvider])).toEqual([
      ["c1", "up", true, true],
      ["c2", "up", true, true],
    ]);
    const html = (await exportReport(ctx, cloud.id, "html", { locale: "en" }))!.body;
    expect(html).toContain("Compute cloud (Placement and Nova)");
    expect(html).toContain('<tr><td>c2</td><td class="open">✓ up</td>');

    // A tutorial deployment as stored before scopes: no scope in its snapshot.
    const old = await recordRun(await newPlan(2), (key, host) => ({ status: "succeeded", result: verified(key, host) }));
    const snapshot = JSON.parse((await ctx.runs.planSnapshot(old.id))!) as { settings: Record<string, unknown> };
    delete snapshot.settings.scope;
    await ctx.db.run.update({ where: { id: old.id }, data: { planSnapshot: JSON.stringify(snapshot) } });
    const before = (await loadReport(ctx, old.id, { locale: "en" }))!;
    expect(before.plan.scope).toBe("tutorial");
    expect(before.phases.map((p) => p.key)).not.toContain("nova");
    expect(before.phases.find((p) => p.key === "other")).toBeUndefined();
    expect(before.plan.secrets.map((s) => (s.kind === "service" ? s.name : s.kind))).not.toContain("NOVA_PASS");
    expect(before.topology.services.c1).toEqual(["chrony client"]);
  });
});
