import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isHostKeyChangedResult } from "@/lib/hostcheck/hostCheckResult";
import type { PlanView } from "@/lib/plan/planView";
import { sshSecretKey } from "@/lib/plan/secretKeys";
import type { Playbook } from "@/lib/playbook/types";
import type { RunView } from "@/lib/runs/runView";
import { POST as trustKey } from "@/app/api/plans/[planId]/hosts/[hostId]/trust-key/route";
import { snapshotPlan } from "../plans/planSnapshot";
import { drillPlanUpdate } from "../testing/drillPlan";
import { hostilePassword, startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { createTestContext } from "../testing/testContext";
import { HostKeyPins } from "./hostKeyPins";
import { HostKeyChangedError } from "./sshErrors";
import { SshSession } from "./sshSession";

// This suite's own loopback address: one host that is reinstalled (or impersonated) between checks.
const ADDRESS = "127.0.0.221";
const PORT = 2222;
const USER = "sp-hostkey";
const PASSWORD = hostilePassword();
const OPTIONS = { readyTimeoutMs: 3000, keepaliveIntervalMs: 1000, keepaliveCountMax: 3 };

/** A deployment of one harmless step: what matters here is how it connects. */
const onePingPlaybook = (input: { profile: Playbook["profile"] }): Playbook => ({
  profile: input.profile,
  phases: [{ key: "preflight", title: "Ping", steps: [{ key: "ping.echo", title: "Say hello", roles: ["controller", "compute"], timeoutSeconds: 60, apply: { body: "echo hello", secrets: [] } }] }],
});

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let sshd: LoopbackSshd | undefined;

/** The sshd on ADDRESS is replaced by a fresh one: same address, user and password, a new host key. */
async function reinstall(): Promise<LoopbackSshd> {
  await sshd?.stop();
  sshd = await startLoopbackSshd({ address: ADDRESS, port: PORT, user: USER, password: PASSWORD });
  return sshd;
}

/** Password lines sshd logs once a client tries to authenticate. */
const PASSWORD_AUTH = /(Failed|Accepted) password for|Failed none for|Postponed|userauth/i;
/** The client left in the key exchange (SSH disconnect reason 3, key exchange failed), before authentication. */
const LEFT_IN_KEY_EXCHANGE = /Received disconnect from 127\.0\.0\.\d+ port \d+:3: .*\[preauth\]/;

beforeAll(async () => {
  ctx = await createTestContext({ SSH_READY_TIMEOUT_MS: 3000 }, { playbookFor: onePingPlaybook });
  (globalThis as { stackpilotContext?: Promise<unknown> }).stackpilotContext = Promise.resolve(ctx);
  await reinstall();
});

afterAll(async () => {
  delete (globalThis as { stackpilotContext?: Promise<unknown> }).stackpilotContext;
  await ctx?.dispose();
  await sshd?.stop();
});

/** A plan with one host, ct, on ADDRESS, logging in by password. */
async function oneHostPlan(): Promise<PlanView> {
  const plan = await ctx.plans.createTutorialPlan();
  const [ct] = plan.hosts;
  return ctx.plans.update(plan.id, {
    settings: { ...plan.settings, credentialMode: "perHost" },
    hosts: [{ ...ct, managementIp: ADDRESS, natIp: ADDRESS, sshPort: PORT, sshUser: USER, authMethod: "password" }],
    secrets: { [sshSecretKey({ scope: "host", hostId: ct.id }, "password")]: PASSWORD },
  });
}

async function check(planId: string): Promise<{ run: RunView; log: string }> {
  const started = await ctx.hostCheck.start((await ctx.plans.loadForRun(planId))!);
  await ctx.hostCheck.idle();
  const run = (await ctx.runs.get(started.id))!;
  const log = (await ctx.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
  return { run, log };
}

const pinOf = async (planId: string) => (await ctx.plans.get(planId))!.hosts[0].hostKeyFingerprint;

function trust(planId: string, hostId: string, body: unknown) {
  const request = new Request(`http://127.0.0.1/api/plans/${planId}/hosts/${hostId}/trust-key`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  return trustKey(request, { params: Promise.resolve({ planId, hostId }) });
}

describe("host keys pinned on first use", () => {
  it("SshSession.connect refuses another key than the expected one, saying both fingerprints", async () => {
    const target = { host: ADDRESS, port: PORT, username: USER, password: PASSWORD };
    const session = await SshSession.connect(target, OPTIONS, { hostName: "ct", fingerprint: sshd!.hostKeyFingerprint });
    expect(session.hostKeyFingerprint).toBe(sshd!.hostKeyFingerprint);
    session.close();
    const other = "SHA256:" + "A".repeat(43);
    const refused = SshSession.connect(target, OPTIONS, { hostName: "ct", fingerprint: other });
    await expect(refused).rejects.toBeInstanceOf(HostKeyChangedError);
    await expect(refused).rejects.toMatchObject({ kind: "hostkey", pinned: other, presented: sshd!.hostKeyFingerprint });
  });

  it("refuses a first connection whose key lost the race to another job's pin, and checks the pin it learnt from then on", async () => {
    const target = { host: ADDRESS, port: PORT, username: USER, password: PASSWORD };
    const other = `SHA256:${"Z".repeat(43)}`;
    const asked: string[] = [];
    const pins = new HostKeyPins({ pinHostKey: async (_plan, _host, fingerprint) => (asked.push(fingerprint), other) }, "plan", [{ id: "h", name: "ct", hostKeyFingerprint: null }]);
    await expect(pins.connect("h", target, OPTIONS)).rejects.toMatchObject({ kind: "hostkey", pinned: other, presented: sshd!.hostKeyFingerprint });
    expect(pins.pinned("h")).toBe(other);
    await expect(pins.connect("h", target, OPTIONS)).rejects.toBeInstanceOf(HostKeyChangedError);
    // The second attempt was refused in the key exchange: the store was not asked again.
    expect(asked).toEqual([sshd!.hostKeyFingerprint]);
  });

  it("pins at the first check, refuses an impostor before any password reaches it, and works again once its key is trusted", async () => {
    const original = await reinstall();
    const plan = await oneHostPlan();
    expect(plan.hosts[0]).toMatchObject({ hostKeyFingerprint: null, hostKeyPinnedAt: null });

    const first = await check(plan.id);
    expect(first.run.status).toBe("succeeded");
    expect(first.log).toContain(`host key ${original.hostKeyFingerprint} (pinned now`);
    const pinned = (await ctx.plans.get(plan.id))!.hosts[0];
    expect(pinned.hostKeyFingerprint).toBe(original.hostKeyFingerprint);
    expect(Date.parse(pinned.hostKeyPinnedAt!)).toBeGreaterThan(Date.now() - 60_000);

    // The same address, user and password, another machine (or a reinstall): a new host key.
    const impostor = await reinstall();
    expect(impostor.hostKeyFingerprint).not.toBe(original.hostKeyFingerprint);
    const second = await check(plan.id);
    expect(second.run.status).toBe("failed");
    const [step] = second.run.stepRuns;
    const message = `The host key of ct changed: pinned ${original.hostKeyFingerprint}, now ${impostor.hostKeyFingerprint}. If you reinstalled the host, trust the new key in the plan.`;
    expect(step.error).toBe(message);
    expect(second.log).toContain(message);
    expect(isHostKeyChangedResult(step.result) && step.result.hostKeyChanged).toEqual({ pinned: original.hostKeyFingerprint, presented: impostor.hostKeyFingerprint });
    expect(await pinOf(plan.id)).toBe(original.hostKeyFingerprint);
    // The impostor saw the connection, and no authentication: the password never reached it.
    await new Promise((r) => setTimeout(r, 200));
    const impostorLog = impostor.log();
    expect(impostorLog).toMatch(LEFT_IN_KEY_EXCHANGE);
    expect(impostorLog).not.toMatch(PASSWORD_AUTH);
    expect(impostorLog).not.toContain(USER);

    // The operator reinstalled the host: trust the new key.
    const answer = await trust(plan.id, plan.hosts[0].id, { fingerprint: impostor.hostKeyFingerprint });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as PlanView).hosts[0].hostKeyFingerprint).toBe(impostor.hostKeyFingerprint);
    const third = await check(plan.id);
    expect(third.run.status).toBe("succeeded");
    expect(third.log).toContain(`host key ${impostor.hostKeyFingerprint} (as pinned)`);
    expect(impostor.log()).toMatch(new RegExp(`Accepted password for ${USER}`));
  });

  it("pins at a deployment's first connection too, and a deployment refuses another key", async () => {
    const first = await reinstall();
    const plan = await ctx.plans.createTutorialPlan();
    await ctx.plans.update(plan.id, drillPlanUpdate(plan.settings, [first], () => "unused"));
    const deploy = async () => {
      const { run } = await ctx.deploy.start((await ctx.plans.loadForRun(plan.id))!);
      await ctx.deploy.idle();
      return (await ctx.runs.get(run.id))!;
    };
    const ok = await deploy();
    expect(ok.status).toBe("succeeded");
    expect(await pinOf(plan.id)).toBe(first.hostKeyFingerprint);

    const impostor = await reinstall();
    const refused = await deploy();
    expect(refused.status).toBe("failed");
    expect(refused.stepRuns[0].error).toBe(
      `The host key of ct changed: pinned ${first.hostKeyFingerprint}, now ${impostor.hostKeyFingerprint}. If you reinstalled the host, trust the new key in the plan.`,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(impostor.log()).toMatch(LEFT_IN_KEY_EXCHANGE);
    expect(impostor.log()).not.toMatch(PASSWORD_AUTH);
    expect(await pinOf(plan.id)).toBe(first.hostKeyFingerprint);
  });

  it("keeps the pin across plan saves, clears it when the address or port changes, and leaves it out of run snapshots", async () => {
    const plan = await oneHostPlan();
    const hostId = plan.hosts[0].id;
    const fingerprint = `SHA256:${"b".repeat(43)}`;
    expect(await ctx.plans.pinHostKey(plan.id, hostId, fingerprint)).toBe(fingerprint);
    // First use only: a second pin does not replace it.
    expect(await ctx.plans.pinHostKey(plan.id, hostId, `SHA256:${"c".repeat(43)}`)).toBe(fingerprint);
    expect(await ctx.plans.pinHostKey(plan.id, "no-such-host", fingerprint)).toBeNull();

    const view = (await ctx.plans.get(plan.id))!;
    const before = snapshotPlan(view);
    expect(before.snapshot).not.toContain(fingerprint);
    // A save that sends the view back (with the pin fields, even another pin) changes no pin.
    const { passwordSet: _p, privateKeySet: _k, ...host } = view.hosts[0];
    await ctx.plans.update(plan.id, { hosts: [{ ...host, name: "ct", hostKeyFingerprint: `SHA256:${"d".repeat(43)}` } as typeof host] });
    expect(await pinOf(plan.id)).toBe(fingerprint);
    expect(snapshotPlan((await ctx.plans.get(plan.id))!).hash).toBe(before.hash);

    await ctx.plans.update(plan.id, { hosts: [{ ...host, sshPort: PORT + 1 }] });
    expect(await pinOf(plan.id)).toBeNull();
    await ctx.plans.pinHostKey(plan.id, hostId, fingerprint);
    await ctx.plans.update(plan.id, { hosts: [{ ...host, sshPort: PORT + 1, managementIp: "127.0.0.222" }] });
    expect(await pinOf(plan.id)).toBeNull();
  });

  it("trust-key takes a SHA256 fingerprint for a host of the plan only", async () => {
    const plan = await oneHostPlan();
    const bad = await trust(plan.id, plan.hosts[0].id, { fingerprint: "MD5:aa:bb" });
    expect(bad.status).toBe(400);
    expect(await pinOf(plan.id)).toBeNull();
    const other = await oneHostPlan();
    const elsewhere = await trust(plan.id, other.hosts[0].id, { fingerprint: `SHA256:${"e".repeat(43)}` });
    expect(elsewhere.status).toBe(404);
    expect(await pinOf(other.id)).toBeNull();
  });
});
