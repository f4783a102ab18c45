import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { translator } from "../i18n/translate";
import { planSettingsSchema } from "../plan/planView";
import { buildPlaybook } from "../playbook/buildPlaybook";
import { planFileSchema, playbookInputFromFile } from "../playbook/planFile";
import { formatDuration, formatTick } from "./duration";
import { secondsLeft, stepDurations, type RunEstimate } from "./estimate";
import { portMatrix, SERVICE_PORTS } from "./portMatrix";
import { runMessageText } from "./runMessages";
import { runPlanFacts } from "./runPlan";
import type { PortCheckView, RunHost, StepRunView } from "./runView";
import { timelineLayout } from "./timeline";

const T0 = Date.parse("2026-03-02T10:00:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

let ids = 0;
function stepRun(stepKey: string, hostName: string, status: StepRunView["status"], from?: number, to?: number): StepRunView {
  ids += 1;
  return {
    id: `s${ids}`, runId: "r", stepKey, hostId: hostName, hostName, position: ids, status, attempt: from === undefined ? 0 : 1,
    exitCode: null, error: null, result: null, startedAt: from === undefined ? null : at(from), finishedAt: to === undefined ? null : at(to), version: 1,
  };
}

const HOSTS: RunHost[] = [
  { name: "ct", role: "controller", managementIp: "10.0.0.10", natIp: "10.1.0.10" },
  { name: "c1", role: "compute", managementIp: "10.0.0.11", natIp: "10.1.0.11" },
  { name: "c2", role: "compute", managementIp: "10.0.0.12", natIp: "10.1.0.12" },
];

const check = (fromHost: string, port: number, open: boolean, seconds = 0, error: string | null = open ? null : "connection refused"): PortCheckView => ({
  fromHost, toHost: "ct", port, open, error, checkedAt: at(seconds),
});

describe("portMatrix", () => {
  const expectations = [
    { stepKey: "mariadb.configure", port: 3306, label: "MariaDB", on: "controller" as const, fromRoles: ["compute" as const] },
    { stepKey: "keystone.web", port: 5000, label: "Keystone", on: "controller" as const, fromRoles: ["compute" as const] },
  ];

  it("has a row for the wizard and each compute to the controller, every service port as a column, waiting before any check", () => {
    const matrix = portMatrix({ hosts: HOSTS, expectations, checks: [] });
    expect(matrix.ports).toEqual(SERVICE_PORTS);
    expect(matrix.rows.map((r) => `${r.from}→${r.to}`)).toEqual(["wizard→ct", "c1→ct", "c2→ct"]);
    const wizard = matrix.rows[0].cells;
    expect(wizard.find((c) => c.port === 3306)).toMatchObject({ state: "waiting", label: "MariaDB" });
    expect(wizard.find((c) => c.port === 9292)).toMatchObject({ state: "none" });
  });

  it("turns cells green as services come up and red with the reason, the newest check winning", () => {
    const matrix = portMatrix({
      hosts: HOSTS,
      expectations,
      checks: [check("wizard", 3306, false, 1), check("wizard", 3306, true, 2), check("c1", 3306, true, 2), check("c2", 5000, false, 5, "no answer within 5 s")],
    });
    const cell = (from: string, port: number) => matrix.rows.find((r) => r.from === from)!.cells.find((c) => c.port === port)!;
    expect(cell("wizard", 3306)).toMatchObject({ state: "open", error: null });
    expect(cell("c1", 3306).state).toBe("open");
    expect(cell("c2", 3306).state).toBe("waiting");
    expect(cell("c2", 5000)).toMatchObject({ state: "closed", error: "no answer within 5 s", label: "Keystone" });
  });

  it("shows checks nobody expected, and nothing at all for a run that checks no ports", () => {
    expect(portMatrix({ hosts: HOSTS, expectations: [], checks: [] }).rows).toEqual([]);
    const matrix = portMatrix({ hosts: HOSTS, checks: [check("c2", 8080, true), check("wizard", 11211, false)] });
    expect(matrix.rows.map((r) => r.from)).toEqual(["wizard", "c2"]);
    expect(matrix.ports).toEqual([...SERVICE_PORTS, 8080]);
    expect(matrix.rows[1].cells.at(-1)).toMatchObject({ port: 8080, state: "open" });
  });

  it("takes its rows and labels from the real playbook's port checks", () => {
    const file = JSON.parse(readFileSync(fileURLToPath(new URL("../../examples/tutorial.plan.json", import.meta.url)), "utf8"));
    const input = playbookInputFromFile(planFileSchema.parse({ ...file, profile: "debian12-zed" }));
    const playbook = buildPlaybook(input);
    const outline = playbook.phases.map((p) => ({ key: p.key, title: p.title, steps: p.steps.map((s) => ({ key: s.key, title: s.title })) }));
    const plan = { profile: input.profile, hosts: input.hosts.map((h) => ({ ...h, sshPort: 22, sshUser: "root", authMethod: "password" as const, passwordSet: false, privateKeySet: false })), settings: planFileSchema.parse(file).settings as never };
    const facts = runPlanFacts(plan, outline);
    expect(facts.hosts.map((h) => h.name)).toEqual(["ct", "c1", "c2"]);
    expect(facts.ports.map((p) => p.port).sort((a, b) => a - b)).toEqual([...SERVICE_PORTS].sort((a, b) => a - b));
    const matrix = portMatrix({ hosts: facts.hosts, expectations: facts.ports, checks: [] });
    expect(matrix.rows.map((r) => `${r.from}→${r.to}`)).toEqual(["wizard→ct", "c1→ct", "c2→ct"]);
    expect(matrix.rows.every((r) => r.cells.every((c) => c.state === "waiting"))).toBe(true);
    // A run of another playbook (the drills) has none of these steps: no ports.
    expect(runPlanFacts(plan, [{ key: "preflight", title: "Drill", steps: [{ key: "drill.gate", title: "Pass the gate" }] }]).ports).toEqual([]);
  });

  it("gives the topology the plan's scope (the tutorial for a snapshot from before scopes) and a compute's hypervisor type", () => {
    const host = (name: string, role: "controller" | "compute", virtType?: "kvm") => ({ id: name, name, role, managementIp: "10.0.0.1", natIp: "10.1.0.1", sshPort: 22, sshUser: "root", authMethod: "password" as const, passwordSet: false, privateKeySet: false, ...(virtType ? { virtType } : {}) });
    const settings = planSettingsSchema.parse({});
    const { scope: _scope, ...before } = settings;
    const hosts = [host("ct", "controller"), host("c1", "compute", "kvm")];
    expect(runPlanFacts({ profile: "debian12-zed", hosts, settings: before }, []).scope).toBe("tutorial");
    const facts = runPlanFacts({ profile: "debian12-zed", hosts, settings: { ...settings, scope: "compute" } }, []);
    expect(facts.scope).toBe("compute");
    expect(facts.hosts.map((h) => h.virtType)).toEqual([undefined, "kvm"]);
    // The compute scope's networks for the topology: derived from the controller's second IP where the plan names none.
    expect(facts.networks).toEqual({ providerCidr: "10.1.0.0/24", floatingIpStart: "10.1.0.200", floatingIpEnd: "10.1.0.249", selfServiceCidr: "172.16.1.0/24" });
    expect(runPlanFacts({ profile: "debian12-zed", hosts, settings: { ...settings, scope: "compute", selfServiceCidr: "10.8.0.0/24" } }, []).networks?.selfServiceCidr).toBe("10.8.0.0/24");
    expect(runPlanFacts({ profile: "debian12-zed", hosts, settings: before }, []).networks).toBeUndefined();
  });
});

describe("timelineLayout", () => {
  it("gives each host a lane and each started step run a bar in percent of the run, running ones up to now", () => {
    const runs = [
      stepRun("a", "ct", "succeeded", 0, 10),
      stepRun("a", "c1", "skipped", 0, 2),
      stepRun("b", "ct", "failed", 10, 30),
      stepRun("b", "c1", "running", 10),
      stepRun("c", "ct", "pending"),
    ];
    const layout = timelineLayout(runs, T0 + 40_000)!;
    expect(layout.origin).toBe(T0);
    expect(layout.span).toBe(40_000);
    expect(layout.lanes.map((l) => l.host)).toEqual(["ct", "c1"]);
    const [ct, c1] = layout.lanes;
    expect(ct.bars.map((b) => [b.stepRun.stepKey, b.left, b.width])).toEqual([
      ["a", 0, 25],
      ["b", 25, 50],
    ]);
    expect(c1.bars[1]).toMatchObject({ running: true, left: 25, width: 75 });
    expect(layout.ticks.map((t) => t.at / 1000)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
  });

  it("has nothing to draw before the first step starts, and marks a long run in minutes", () => {
    expect(timelineLayout([stepRun("a", "ct", "pending")], T0)).toBeNull();
    const layout = timelineLayout([stepRun("a", "ct", "succeeded", 0, 1500)], T0)!;
    expect(layout.ticks.map((t) => t.at / 1000)).toEqual([0, 300, 600, 900, 1200, 1500]);
  });
});

describe("estimate", () => {
  it("takes each step's slowest host from the runs that ran to the end", () => {
    const durations = stepDurations([
      stepRun("a", "ct", "succeeded", 0, 10),
      stepRun("a", "c1", "succeeded", 0, 12),
      stepRun("b", "ct", "skipped", 12, 13),
      stepRun("c", "ct", "failed", 13, 20),
      stepRun("d", "ct", "pending"),
    ]);
    expect(durations).toEqual({ a: 12, b: 1 });
  });

  it("sums the steps still to run, less what the running one has done already", () => {
    const estimate: RunEstimate = { basedOn: { runId: "old", samePlan: true, finishedAt: at(0) }, seconds: { a: 12, b: 100, c: 30, d: 5 } };
    const run = { stepRuns: [stepRun("a", "ct", "succeeded", 0, 10), stepRun("b", "ct", "running", 10), stepRun("b", "c1", "succeeded", 10, 20), stepRun("c", "ct", "pending"), stepRun("d", "ct", "pending")] };
    expect(secondsLeft(run, estimate, T0 + 50_000)).toBe(60 + 30 + 5);
    expect(secondsLeft(run, estimate, T0 + 500_000)).toBe(35);
    expect(secondsLeft(run, { basedOn: null, seconds: {} }, T0)).toBeNull();
    expect(secondsLeft(run, undefined, T0)).toBeNull();
  });
});

describe("formatDuration", () => {
  it("says seconds, minutes and hours in both languages", () => {
    const en = translator("en");
    const zh = translator("zh-CN");
    expect(formatDuration(4200, en)).toBe("4.2 s");
    expect(formatDuration(185_000, en)).toBe("3 min 5 s");
    expect(formatDuration(3_720_000, en)).toBe("1 h 2 min");
    expect(formatDuration(185_000, zh)).toBe("3 分 5 秒");
    expect(formatTick(120_000, en)).toBe("2 min");
    expect(formatTick(90_000, zh)).toBe("1 分 30 秒");
    expect(formatTick(0, en)).toBe("0 s");
  });
});

describe("runMessageText", () => {
  const title = (english: string) => (english === "Pass the gate" ? "通过关口" : english);

  it("leaves every message as it is in English", () => {
    expect(runMessageText("en", 'Stopped at "Pass the gate" on c1.', title)).toBe('Stopped at "Pass the gate" on c1.');
  });

  it("says the runner's own words in Chinese, keeping what the host printed", () => {
    expect(runMessageText("zh-CN", 'Stopped at "Pass the gate" on c1, c2.', title)).toBe("停在 c1, c2 上的“通过关口”。");
    expect(runMessageText("zh-CN", "Pass the gate failed on c1 (exit code 3): ERROR 1045 (28000): Access denied", title)).toBe(
      "“通过关口”在 c1 上失败（退出码 3）：ERROR 1045 (28000): Access denied",
    );
    expect(runMessageText("zh-CN", "Install MariaDB did not verify on ct (it was stopped).")).toBe("“Install MariaDB”在 ct 上未通过验证（已被停止）。");
    expect(runMessageText("zh-CN", "Port 5000 (Keystone) on ct is not reachable from this machine: no answer within 3 s.")).toBe("从 本机 无法连通 ct 上的端口 5000（Keystone）：3 秒内无响应。");
    expect(runMessageText("zh-CN", "The StackPilot server stopped while this was running. Resume to go on from here.")).toMatch(/^运行期间 StackPilot 服务器停止了/);
    expect(runMessageText("zh-CN", "Something the runner never says.")).toBe("Something the runner never says.");
  });
});
