import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logDownload } from "../logs/logDownload";
import type { RunEvent } from "../realtime/runEventHub";
import { createTestContext } from "../testing/testContext";

let ctx: Awaited<ReturnType<typeof createTestContext>>;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => ctx?.dispose());

/** A deployment of a new plan with step "a" on each of these hosts. */
const newRun = async (hosts = ["ct", "c1"]) =>
  ctx.runs.create({ plan: { view: await ctx.plans.createTutorialPlan(), secretsSetAt: {} }, kind: "deploy", steps: hosts.map((name) => ({ stepKey: "a", hostId: `h-${name}`, hostName: name })) });

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("LogStore and the readers on it (real SQLite)", () => {
  it("serves a run's lines a page at a time by seq, one step run's lines, and a step run's tail", async () => {
    const run = await newRun();
    const [onCt, onC1] = run.stepRuns;
    await ctx.logs.openRun(run.id);
    ctx.logs.append(run.id, null, "system", "run note");
    for (let i = 1; i <= 5; i++) ctx.logs.append(run.id, onCt.id, "stdout", `ct ${i}`);
    for (let i = 1; i <= 3; i++) ctx.logs.append(run.id, onC1.id, "stderr", `c1 ${i}`);
    await ctx.logs.closeRun(run.id);

    const first = await ctx.logLines.page(run.id, 0, 4);
    expect(first.lines.map((l) => [l.seq, l.text])).toEqual([[1, "run note"], [2, "ct 1"], [3, "ct 2"], [4, "ct 3"]]);
    expect(first.hasMore).toBe(true);
    const rest = await ctx.logLines.page(run.id, 4, 100);
    expect(rest.lines.map((l) => l.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(rest.hasMore).toBe(false);
    const c1Only = await ctx.logLines.page(run.id, 0, 100, [onC1.id]);
    expect(c1Only.lines.map((l) => [l.stepRunId, l.stream, l.text])).toEqual([1, 2, 3].map((i) => [onC1.id, "stderr", `c1 ${i}`]));

    expect(await ctx.logLines.tail(run.id, onCt.id, 2)).toEqual(["ct 4", "ct 5"]);
    expect(await ctx.logLines.lastSeq(run.id)).toBe(9);
    expect(await ctx.logLines.lastSeq("no-such-run")).toBe(0);
  });

  it("streams the whole log as a download across pages, with each line's host, or one host's lines", async () => {
    const run = await newRun();
    const [onCt, onC1] = run.stepRuns;
    await ctx.logs.openRun(run.id);
    ctx.logs.append(run.id, null, "system", "started");
    // More than two of the download's pages (5000 lines each), the last one short.
    for (let i = 1; i <= 12_001; i++) ctx.logs.append(run.id, i % 3 === 0 ? onC1.id : onCt.id, "stdout", `line ${i}`);
    await ctx.logs.closeRun(run.id);

    const all = (await readAll((await logDownload(ctx, run.id, null))!)).split("\n");
    expect(all.pop()).toBe("");
    expect(all).toHaveLength(12_002);
    expect(all[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z - system started$/);
    expect(all[3]).toMatch(/ c1 stdout line 3$/);
    expect(all[12_001]).toMatch(/ ct stdout line 12001$/);

    const c1 = (await readAll((await logDownload(ctx, run.id, "c1"))!)).split("\n").filter(Boolean);
    expect(c1).toHaveLength(4000);
    expect(c1.every((line) => / c1 stdout line \d+$/.test(line))).toBe(true);

    expect(await logDownload(ctx, "no-such-run", null)).toBeNull();
  });

  it("stores a port check and publishes it once stored", async () => {
    const run = await newRun();
    const events: RunEvent[] = [];
    const unsubscribe = ctx.hub.subscribe((event) => events.push(event));
    const check = { fromHost: "wizard", toHost: "ct", port: 3306, open: false, error: "Connection refused", checkedAt: new Date().toISOString() };
    await ctx.runs.recordPortCheck(run.id, check);
    expect(await ctx.runs.portChecks(run.id)).toEqual([check]);
    expect(events).toEqual([{ type: "port", runId: run.id, check }]);
    unsubscribe();
  });

  it("estimates a run from the newest earlier deployment of its plan that finished", async () => {
    const earlier = await newRun();
    await ctx.runs.moveRun(earlier.id, "running");
    for (const s of earlier.stepRuns) {
      await ctx.runs.moveStep(s.id, "running");
      await ctx.runs.moveStep(s.id, "succeeded");
    }
    await ctx.runs.moveRun(earlier.id, "succeeded");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = await ctx.runs.create({ plan: { view: (await ctx.plans.get(earlier.planId))!, secretsSetAt: {} }, kind: "deploy", steps: [{ stepKey: "a", hostId: "h-ct", hostName: "ct" }] });

    const estimate = await ctx.runHistory.estimate(later.id);
    expect(estimate?.basedOn).toMatchObject({ runId: earlier.id, samePlan: true });
    expect(Object.keys(estimate!.seconds)).toEqual(["a"]);
    expect(await ctx.runHistory.estimate(earlier.id)).toEqual({ basedOn: null, seconds: {} });
    expect(await ctx.runHistory.estimate("no-such-run")).toBeNull();
  });
});
