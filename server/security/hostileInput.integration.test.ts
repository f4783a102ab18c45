import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { allSteps, buildPlaybook, hostsForStep } from "@/lib/playbook/buildPlaybook";
import { playbookInputFromPlan, type PlaybookInput } from "@/lib/playbook/playbookInput";
import { PROFILES } from "@/lib/plan/profiles";
import { hostVariables, renderHostScript, scriptForRunner } from "@/lib/playbook/renderScript";
import { ALL_SERVICE_SECRETS, serviceSecretKey } from "@/lib/playbook/serviceSecrets";
import { planUpdateSchema, type PlanUpdate, type PlanView } from "@/lib/plan/planView";
import { sshSecretKey } from "@/lib/plan/secretKeys";
import { validatePlan } from "@/lib/plan/validatePlan";
import { MASK } from "../logs/redactor";
import { probeFromHost } from "../deploy/portProbe";
import { collectTriage } from "../deploy/triage";
import { hostCheckScript } from "../hostcheck/hostCheckScript";
import { PlanUpdateError } from "../store/planStore";
import type { SshSession } from "../ssh/sshSession";
import { drillPlanUpdate } from "../testing/drillPlan";
import { drillPlaybook, drillSteering } from "../testing/drillPlaybook";
import { startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { createStubbedBash } from "../testing/stubbedBash";
import { createTestContext } from "../testing/testContext";

/**
 * Issue 7, input: every plan field gets values built to break out of a shell word. Each is either
 * refused with a message for its field (by the API's schema, the repository, or validatePlan, which
 * the host check and the deployment require), or, when accepted, goes through everything that
 * reaches a shell: the host check and a drill deployment over real SSH, and the real playbook of
 * both profiles, the host check script, the port probe and the triage executed under bash with
 * every command stubbed. An injected command would create CANARY on this machine (the loopback
 * hosts and the stubbed bash share its /tmp); it must never appear.
 */

// This suite's own loopback hosts (127.0.0.231-239).
const CT = "127.0.0.231";
const C1 = "127.0.0.232";
const PORT = 2222;
const USER = "sp-hostile";

const CANARY = path.join(os.tmpdir(), `stackpilot-canary-${randomBytes(6).toString("hex")}`);
const TOUCH = `touch ${CANARY}`;

/** Values built to end a shell word, a quote, a line or a command; and the awkward rest. */
const HOSTILE: Record<string, string> = {
  semicolon: `x; ${TOUCH}`,
  "command substitution": `$(${TOUCH})`,
  backticks: `\`${TOUCH}\``,
  "single quote": `' ; ${TOUCH} #`,
  "double quote": `" ; ${TOUCH} #`,
  "escaped quotes": `\\'\\" ; ${TOUCH} ; echo \\"`,
  newline: `x\n${TOUCH}`,
  "carriage return": `x\r${TOUCH}\r`,
  pipe: `x | ${TOUCH}`,
  ampersand: `x & ${TOUCH}`,
  redirect: `x > ${CANARY}`,
  "variable and glob": "${HOME} $PATH * ~root !!",
  "sed and awk delimiters": `x/|&\\1;e ${TOUCH};"; system("${TOUCH}")`,
  unicode: `ünïcödé 密码 🚀 \u202e$(${TOUCH})`,
  "10 kB": `$(${TOUCH})'"\`${TOUCH}\``.padEnd(10_240, "Ab'\"$ "),
  "NUL byte": `x\0; ${TOUCH}`,
};
const IS_PASSWORD_LIKE = (value: string) => !/[\u0000-\u001f\u007f]/.test(value) && value.length <= 1024;

let ct: LoopbackSshd;
let c1: LoopbackSshd;
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let planId: string;
const drillDir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-hostile-drill-"));
const stubbed = createStubbedBash();

beforeAll(async () => {
  rmSync(CANARY, { force: true });
  ct = await startLoopbackSshd({ address: CT, port: PORT, user: USER });
  c1 = await startLoopbackSshd({ address: C1, port: PORT, user: USER, password: ct.password });
  execFileSync("chmod", ["777", drillDir]);
  ctx = await createTestContext({ SSH_READY_TIMEOUT_MS: 5000 }, { playbookFor: drillPlaybook(drillDir) });
  const plan = await ctx.plans.createTutorialPlan();
  planId = plan.id;
  await save(drillPlanUpdate(plan.settings, [ct, c1], (name) => `${name}-ok`));
  expect(validatePlan((await ctx.plans.get(planId))!)).toEqual([]);
});

afterAll(async () => {
  await ctx?.dispose();
  await ct?.stop();
  await c1?.stop();
  stubbed.dispose();
  rmSync(drillDir, { recursive: true, force: true });
  expect(existsSync(CANARY), `${CANARY} exists: an injected command ran`).toBe(false);
});

afterEach(() => {
  const ran = existsSync(CANARY);
  // Removed at once, so that the next test's injection is told apart from this one's.
  rmSync(CANARY, { force: true });
  expect(ran, `${CANARY} exists: an injected command ran`).toBe(false);
});

/** What PUT /api/plans/:id does with a body: JSON, the schema, the repository. */
async function save(update: PlanUpdate): Promise<PlanView> {
  return ctx.plans.update(planId, planUpdateSchema.parse(JSON.parse(JSON.stringify(update))));
}

/** The plan as it is, the parts a save could change (secret values included). */
async function snapshot() {
  const view = (await ctx.plans.get(planId))!;
  const { updatedAt: _u, ...rest } = view;
  return { rest, secrets: (await ctx.plans.secretValues(planId)).sort() };
}

type Field = { path: string; set(view: PlanView, value: string): PlanUpdate; secret?: boolean };

const hostField = (i: number, key: "name" | "managementIp" | "natIp" | "sshUser"): Field => ({
  path: `hosts.${i}.${key}`,
  set: (view, value) => ({
    hosts: view.hosts.map((h, j) => ({ ...h, [key]: j === i ? value : h[key] })),
    // A per-host user is checked only with per-host logins.
    ...(key === "sshUser" ? { settings: { ...view.settings, credentialMode: "perHost" } } : {}),
  }),
});
const settingField = (key: keyof PlanView["settings"]): Field => ({
  path: `settings.${key}`,
  set: (view, value) => ({ settings: { ...view.settings, [key]: value, ...(key === "centosRepositoryUrl" ? { centosRepository: "custom" } : {}) } }),
});
const secretField = (key: string, label = key): Field => ({ path: label, secret: true, set: () => ({ secrets: { [key]: value(key) } }) });
// Filled in per value below (secretField's set gets the value through this).
let current = "";
const value = (_key: string) => current;

const FIELDS: Field[] = [
  { path: "name", set: (_view, v) => ({ name: v }) },
  hostField(0, "name"),
  hostField(1, "name"),
  hostField(0, "managementIp"),
  hostField(1, "natIp"),
  hostField(1, "sshUser"),
  settingField("sharedSshUser"),
  settingField("ntpServer"),
  settingField("managementCidr"),
  settingField("regionName"),
  settingField("imageName"),
  settingField("centosRepositoryUrl"),
  secretField(sshSecretKey({ scope: "shared" }, "password")),
  secretField(sshSecretKey({ scope: "shared" }, "privateKey")),
  ...ALL_SERVICE_SECRETS.map((name) => secretField(serviceSecretKey(name))),
];

type Outcome = { kind: "refused by the API"; message: string } | { kind: "refused by validation"; message: string } | { kind: "accepted" };

/** Sets one field through the API's path and reports what happened; the plan is as before afterwards. */
async function tryField(field: Field, hostile: string): Promise<Outcome> {
  const before = await snapshot();
  current = hostile;
  const view = (await ctx.plans.get(planId))!;
  let saved: PlanView;
  try {
    saved = await save(field.set(view, hostile));
  } catch (error) {
    // Nothing of the plan is lost: the whole save is refused.
    expect(await snapshot()).toEqual(before);
    if (error instanceof ZodError) return { kind: "refused by the API", message: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
    if (error instanceof PlanUpdateError) return { kind: "refused by the API", message: `${error.path}: ${error.message}` };
    throw error;
  }
  const issues = validatePlan(saved).filter((issue) => issue.path === field.path || (field.path.endsWith(".sshUser") && issue.path.endsWith(".sshUser")));
  // Restore: the previous values of every field this test touches, and the shared login.
  await save({ name: before.rest.name, hosts: before.rest.hosts, settings: before.rest.settings, secrets: field.secret ? restoreSecret(field.path) : undefined });
  if (issues.length > 0) return { kind: "refused by validation", message: issues.map((i) => `${i.path}: ${i.message}`).join("; ") };
  return { kind: "accepted" };
}

function restoreSecret(key: string): Record<string, string | null> {
  if (key.endsWith(".privateKey")) return { [key]: null };
  if (key.startsWith("ssh.")) return { [key]: ct.password };
  return { [key]: `${key.slice("service.".length)}-ok` };
}

const accepted = new Map<string, Set<string>>();

describe("every plan field against hostile values", () => {
  for (const field of FIELDS) {
    it(`${field.path}: refused with a message for the field, or accepted only where any character is fine`, async () => {
      for (const [label, hostile] of Object.entries(HOSTILE)) {
        const outcome = await tryField(field, hostile);
        if (outcome.kind !== "accepted") {
          expect(outcome.message, `${field.path} = ${label}`).toMatch(new RegExp(`^${field.path.replace(/\./g, "\\.")}: \\S`));
          expect(outcome.message.length, `${field.path} = ${label}: a short message`).toBeLessThan(400);
          continue;
        }
        (accepted.get(label) ?? accepted.set(label, new Set()).get(label)!).add(field.path);
        // Passwords take any printable character; the plan's name reaches no shell at all.
        const passwordField = field.secret && !field.path.endsWith(".privateKey");
        expect(passwordField || field.path === "name", `${field.path} accepted ${label}`).toBe(true);
        if (passwordField) expect(IS_PASSWORD_LIKE(hostile), `${field.path} accepted ${label}`).toBe(true);
      }
    });
  }

  it("passwords accept every printable hostile value and refuse NUL, line breaks and 10 kB with a reason", async () => {
    const printable = Object.entries(HOSTILE).filter(([, v]) => IS_PASSWORD_LIKE(v)).map(([label]) => label);
    for (const label of printable) expect([...(accepted.get(label) ?? [])].filter((p) => p.startsWith("service.")).length, label).toBe(ALL_SERVICE_SECRETS.length);
    for (const [label, key] of [["newline", "ssh.shared.password"], ["NUL byte", "service.ADMIN_PASS"], ["10 kB", "service.RABBIT_PASS"]]) {
      const outcome = await tryField(secretField(key), HOSTILE[label]);
      expect(outcome).toMatchObject({ kind: "refused by the API" });
      expect((outcome as { message: string }).message).toMatch(/line break|NUL|at most 1024 characters/);
    }
  });
});

describe("what reaches a shell, with hostile values in every field", () => {
  /** A plan view with every text field hostile (rendering does not ask validatePlan: this proves the quoting itself). */
  function hostileInput(view: PlanView, hostile: string, profile: PlaybookInput["profile"]): PlaybookInput {
    const settings = { ...view.settings, ntpServer: hostile, managementCidr: hostile, regionName: hostile, imageName: hostile, centosRepository: "custom" as const, centosRepositoryUrl: hostile };
    const hosts = view.hosts.map((h, i) => ({ ...h, name: i === 0 ? hostile : `c${i}${hostile}`, managementIp: `${hostile}${i}`, natIp: `${i}${hostile}` }));
    return playbookInputFromPlan({ profile, settings, hosts });
  }

  /**
   * Per host: every script the runner would send for this playbook (to parse), and what to run —
   * the runner's preamble with every variable it can set (host facts, imported outputs, the six
   * service passwords), the host check script, and the host's exported script, run with every
   * check failing so that every check, apply and verify body runs.
   */
  function scriptsFor(input: PlaybookInput, hostile: string) {
    const playbook = buildPlaybook(input);
    const secrets = Object.fromEntries(ALL_SERVICE_SECRETS.map((name) => [name, hostile]));
    const imported = Object.fromEntries(allSteps(playbook).flatMap(({ step }) => [...(step.imports ?? []), ...(step.outputs?.names ?? [])]).map((name) => [name, hostile]));
    return input.hosts.map((host) => {
      const variables = { ...hostVariables(host, input), ...imported, ...secrets };
      const runner = allSteps(playbook)
        .filter(({ step }) => hostsForStep(step, [host]).length > 0)
        .flatMap(({ step }) => [step.check, step.apply, step.verify, step.outputs?.script].filter((script) => script !== undefined))
        .map((script) => scriptForRunner(script, input, variables));
      const preamble = scriptForRunner({ body: ":", secrets: [] }, input, variables);
      const hostCheck = hostCheckScript({ ips: [host.managementIp, host.natIp], otherHostNames: input.hosts.map((h) => h.name) });
      // Each in a subshell of its own: one that exits early does not keep the others from running.
      const inSubshells = (parts: string[]) => `${parts.map((part) => `(\n${part}\n)`).join("\n")}\n`;
      return {
        parse: inSubshells([...runner, preamble, hostCheck]),
        run: inSubshells([preamble, hostCheck]),
        // The exported script reads the secrets and the controller's outputs from the environment.
        exported: renderHostScript(playbook, host, input),
        env: { ...imported, ...secrets },
      };
    });
  }

  /** A session that runs what it is given in the stubbed bash (for the port probe and the triage). */
  const stubbedSession = {
    exec: async (script: string) => {
      const result = await stubbed.run(script);
      return { exitCode: result.status ?? 1, signal: null };
    },
  } as unknown as SshSession;

  /** Parses every script and runs the short ones: the preamble with every variable, the host check, the port probe, the triage. */
  async function parseAndRunPreambles(hostile: string) {
    const view = (await ctx.plans.get(planId))!;
    for (const profile of PROFILES) {
      const input = hostileInput(view, hostile, profile);
      if (hostile.includes("\0")) {
        // No shell can carry a NUL: the one quoting function refuses it instead of cutting the value.
        expect(() => scriptsFor(input, hostile)).toThrow(/NUL/);
        continue;
      }
      await Promise.all(
        scriptsFor(input, hostile).map(async ({ parse, run, exported }) => {
          for (const script of [parse, exported]) expect((await stubbed.syntaxCheck(script)).stderr, `${profile}: bash -n`).toBe("");
          expect((await stubbed.run(run)).status, profile).toBe(0);
        }),
      );
    }
    if (hostile.includes("\0")) return;
    await probeFromHost(stubbedSession, hostile, 5000);
    const services = [...new Set(allSteps(buildPlaybook(hostileInput(view, hostile, "debian12-zed"))).flatMap(({ step }) => step.services ?? []))];
    await collectTriage({ session: stubbedSession, services: [...services, hostile], logTail: [hostile], error: hostile, redact: (t) => t });
  }

  for (const [label, hostile] of Object.entries(HOSTILE)) {
    it(`${label}: every script of both profiles parses; the preambles, host check, port probe and triage run nothing injected`, async () => {
      await parseAndRunPreambles(hostile);
    });
  }

  // Every check, apply and verify body of both profiles, on the controller and a compute, run once
  // (each run costs hundreds of processes) with every payload at once in every field and variable.
  const everyPayload = Object.values(HOSTILE).filter((v) => !v.includes("\0")).join(" ");

  it("every step body of both profiles, run with every payload at once in every field, runs nothing injected", async () => {
    const view = (await ctx.plans.get(planId))!;
    await Promise.all(
      PROFILES.flatMap((profile) =>
        scriptsFor(hostileInput(view, everyPayload, profile), everyPayload).map(async ({ exported, env }) => {
          const all = await stubbed.run(exported, { status: 1, env });
          // It had the secrets (an output read back empty from the stubs is fine) and ran to its last line.
          expect(all.stderr.match(new RegExp(`^Set (${ALL_SERVICE_SECRETS.join("|")}) before running`, "gm")) ?? [], profile).toEqual([]);
          expect(all.status, `${profile}: ${all.stderr.slice(-500)}`).toBe(0);
        }),
      ),
    );
  });
});

describe("accepted hostile passwords over real SSH", () => {
  const passwords = Object.entries(HOSTILE).filter(([, v]) => IS_PASSWORD_LIKE(v));
  const steer = drillSteering(drillDir);

  /** The test user's password on the loopback hosts (chpasswd reads it on stdin). */
  const setHostPassword = (password: string) => execFileSync("chpasswd", [], { input: `${USER}:${password}\n` });

  it("the host check logs in with each hostile SSH password and runs its script", async () => {
    for (const [label, password] of passwords) {
      setHostPassword(password);
      await save({ secrets: { "ssh.shared.password": password } });
      const plan = (await ctx.plans.loadForRun(planId))!;
      expect(validatePlan(plan.view), label).toEqual([]);
      const run = await ctx.hostCheck.start(plan);
      await ctx.hostCheck.idle();
      const done = (await ctx.runs.get(run.id))!;
      expect(done.status, `${label}: ${done.error}`).toBe("succeeded");
    }
  });

  it("a drill deployment runs with each hostile password as ADMIN_PASS and the SSH login, and masks it in the log", async () => {
    for (const host of ["ct", "c1"]) steer.steer(`${host}/gate-open`);
    for (const [label, password] of passwords) {
      setHostPassword(password);
      await save({ secrets: { "ssh.shared.password": password, [serviceSecretKey("ADMIN_PASS")]: password } });
      const plan = (await ctx.plans.loadForRun(planId))!;
      expect(validatePlan(plan.view), label).toEqual([]);
      const { run } = await ctx.deploy.start(plan);
      await ctx.deploy.idle();
      const done = (await ctx.runs.get(run.id))!;
      expect(done.status, `${label}: ${done.error}`).toBe("succeeded");
      const log = (await ctx.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
      // drill.secret printed ADMIN_PASS (in two pieces): it arrived whole and is masked.
      expect(log, label).toContain(`the secret is ${MASK}`);
      expect(log, label).not.toContain(password);
    }
  });
});
