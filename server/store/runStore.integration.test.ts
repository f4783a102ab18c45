import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import { RunEventHub, type RunEvent } from "../realtime/runEventHub";
import { createTestContext } from "../testing/testContext";
import { ActiveRunExists, RunStore } from "./runStore";

let ctx: Awaited<ReturnType<typeof createTestContext>>;
const events: RunEvent[] = [];
const execFileAsync = promisify(execFile);

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.hub.subscribe((event) => events.push(event));
});

afterAll(async () => ctx?.dispose());

async function newRun(plan?: Awaited<ReturnType<typeof ctx.plans.createTutorialPlan>>, runs = ctx.runs) {
  plan ??= await ctx.plans.createTutorialPlan();
  return runs.create({
    plan: { view: plan, secretsSetAt: {} },
    kind: "deploy",
    steps: [
      { stepKey: "a", hostId: "h1", hostName: "ct" },
      { stepKey: "b", hostId: "h1", hostName: "ct" },
      { stepKey: "c", hostId: "h1", hostName: "ct" },
    ],
  });
}

describe("RunStore (real SQLite)", () => {
  it("moves a step only along the transition table, counts attempts and publishes each stored move", async () => {
    const run = await newRun();
    const [a] = run.stepRuns;
    expect(await ctx.runs.moveStep(a.id, "succeeded")).toBeNull(); // pending → succeeded skips running
    expect((await ctx.runs.moveStep(a.id, "running"))?.attempt).toBe(1);
    expect((await ctx.runs.moveStep(a.id, "failed", { error: "boom" }))?.error).toBe("boom");
    expect(await ctx.runs.moveStep(a.id, "running")).toBeNull(); // a failed step must be retried (pending) first
    expect((await ctx.runs.moveStep(a.id, "pending"))?.status).toBe("pending");
    const second = await ctx.runs.moveStep(a.id, "running");
    expect(second).toMatchObject({ attempt: 2, error: null });
    expect((await ctx.runs.moveStep(a.id, "succeeded"))?.status).toBe("succeeded");
    expect(await ctx.runs.moveStep(a.id, "pending")).toBeNull(); // never back from succeeded
    const published = events.filter((e) => e.type === "step" && e.stepRun.id === a.id);
    expect(published.map((e) => (e.type === "step" ? e.stepRun.status : ""))).toEqual(["running", "failed", "pending", "running", "succeeded"]);
  });

  it("after a restart marks the running run and its running step interrupted, and leaves steps that never started pending", async () => {
    const run = await newRun();
    const [a, b, c] = run.stepRuns;
    await ctx.runs.moveRun(run.id, "running");
    await ctx.runs.moveStep(a.id, "running");
    await ctx.runs.moveStep(a.id, "succeeded");
    await ctx.runs.moveStep(b.id, "running");
    expect(await ctx.runs.interruptLeftovers("The server stopped.")).toBeGreaterThanOrEqual(1);
    const after = (await ctx.runs.get(run.id))!;
    expect(after).toMatchObject({ status: "interrupted", error: "The server stopped." });
    expect(after.stepRuns.map((s) => [s.id, s.status])).toEqual([
      [a.id, "succeeded"],
      [b.id, "interrupted"],
      [c.id, "pending"],
    ]);
    expect(after.stepRuns[1].error).toBe("The server stopped.");
  });

  it("keeps one active run per plan and kind when processes on the same database race to create it", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    // Four processes, each with its own connection, all asking at the same moment.
    const startAt = String(Date.now() + 4000);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        execFileAsync(process.execPath, ["--import", "tsx", "server/testing/createRunProcess.ts", ctx.env.databaseFile, startAt], { env: { ...process.env, PLAN_VIEW: JSON.stringify(plan) } }).then(
          ({ stdout }) => JSON.parse(stdout) as { created?: string; refusedFor?: string },
        ),
      ),
    );
    const created = answers.filter((a) => a.created).map((a) => a.created);
    expect(created).toHaveLength(1);
    expect(answers.filter((a) => a.refusedFor)).toEqual(Array.from({ length: 3 }, () => ({ refusedFor: created[0] })));
    expect(await ctx.db.run.count({ where: { planId: plan.id } })).toBe(1);
  });

  it("refuses a second pending or running run of a plan and kind, naming the one under way; a finished run frees the plan", async () => {
    // A second store on its own connection to the same SQLite file, as another process would have.
    const otherDb = await createPrismaClient(ctx.env.databaseFile);
    const other = new RunStore(otherDb, new RunEventHub());
    try {
      const plan = await ctx.plans.createTutorialPlan();
      const first = await newRun(plan, other);
      const refused = await newRun(plan).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ActiveRunExists);
      expect((refused as ActiveRunExists).run.id).toBe(first.id);
      await other.moveRun(first.id, "running");
      await expect(newRun(plan)).rejects.toBeInstanceOf(ActiveRunExists);
      // A host check of the plan is another kind of run: it never competes with a deployment.
      await expect(ctx.runs.create({ plan: { view: plan, secretsSetAt: {} }, kind: "host-check", steps: [] })).resolves.toMatchObject({ kind: "host-check" });
      await ctx.runs.moveRun(first.id, "failed", "boom");
      expect((await newRun(plan, other)).status).toBe("pending");
      expect(await ctx.db.run.count({ where: { planId: plan.id, kind: "deploy" } })).toBe(2);
    } finally {
      await otherDb.$disconnect();
    }
  });
  it("gives each host the hypervisor its plan's latest finished host check decided; a host never checked, or whose last check failed, has none", async () => {
    const plan = await ctx.plans.createTutorialPlan();
    const [, c1, c2] = plan.hosts;
    const checked = (virtType: "kvm" | "qemu") => ({ facts: {}, findings: [], virtType, hostKeyFingerprint: "SHA256:x", connectMs: 1 });
    const hostCheck = async (outcomes: [typeof c1, "succeeded" | "failed", "kvm" | "qemu"][]) => {
      const run = await ctx.runs.create({ plan: { view: plan, secretsSetAt: {} }, kind: "host-check", steps: outcomes.map(([h]) => ({ stepKey: "hostcheck", hostId: h.id, hostName: h.name })) });
      for (const [i, [, status, virtType]] of outcomes.entries()) {
        await ctx.runs.moveStep(run.stepRuns[i].id, "running");
        await ctx.runs.moveStep(run.stepRuns[i].id, status, status === "succeeded" ? { result: checked(virtType) } : { error: "unreachable" });
      }
      await ctx.runs.moveRun(run.id, "running");
      await ctx.runs.moveRun(run.id, "succeeded");
    };
    expect(await ctx.runs.checkedVirtTypes(plan.id)).toEqual(new Map());
    await hostCheck([[c1, "succeeded", "kvm"], [c2, "succeeded", "kvm"]]);
    await hostCheck([[c1, "succeeded", "qemu"], [c2, "failed", "qemu"]]);
    expect(await ctx.runs.checkedVirtTypes(plan.id)).toEqual(new Map([[c1.id, "qemu"]]));
    // Another plan's checks are its own.
    expect(await ctx.runs.checkedVirtTypes((await ctx.plans.createTutorialPlan()).id)).toEqual(new Map());
  });
});
