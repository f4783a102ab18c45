import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogBuffer } from "@/lib/logs/logBuffer";
import type { BackfillPage, ClientToServerEvents, ServerToClientEvents, Subscription } from "@/lib/realtime/runEvents";
import type { LogLineView } from "@/lib/runs/runView";
import { attachSocketServer } from "../realtime/socketServer";
import { drillPlanUpdate } from "../testing/drillPlan";
import { drillPlaybook } from "../testing/drillPlaybook";
import { startLoopbackSshd, type LoopbackSshd } from "../testing/loopbackSshd";
import { signInForTests } from "../testing/signIn";
import { createTestContext } from "../testing/testContext";
import { DEFAULT_LOG_WRITER_OPTIONS } from "./logWriter";
import { MASK } from "./redactor";

/**
 * The whole log pipeline on real hosts: ssh channel → line splitter → redactor → LogWriter →
 * SQLite → socket.io room → a client like the dashboard's, with a dropped connection midway.
 */

// This suite's own loopback hosts and test user.
const CT = "127.0.0.173";
const C1 = "127.0.0.174";
const PORT = 2222;
const USER = "sp-logpipe";
const FLOOD_LINES = 50_000;
/**
 * Quotes, dollars, backticks and a multi-byte character within its first six bytes: the drill
 * prints the first six (bytes in the C locale, so the character itself is split) and the rest
 * 200 ms later, in a second chunk.
 */
const ADMIN_PASS = `a'd"$密m$(i)n \`x\` "q'-9`;

const drillDir = mkdtempSync(path.join(os.tmpdir(), "stackpilot-logpipe-"));
let ct: LoopbackSshd;
let c1: LoopbackSshd;
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let http: HttpServer;
let io: ReturnType<typeof attachSocketServer>;
const clients: Client[] = [];
let url: string;
let cookie: string;
let planId: string;

beforeAll(async () => {
  ct = await startLoopbackSshd({ address: CT, port: PORT, user: USER });
  c1 = await startLoopbackSshd({ address: C1, port: PORT, user: USER, password: ct.password });
  execFileSync("chmod", ["777", drillDir]);
  ctx = await createTestContext({}, { playbookFor: drillPlaybook(drillDir) });
  http = createServer();
  io = attachSocketServer(http, ctx);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  ({ cookie } = await signInForTests(ctx));

  const plan = await ctx.plans.createTutorialPlan();
  planId = plan.id;
  await ctx.plans.update(planId, drillPlanUpdate(plan.settings, [ct, c1], (n) => (n === "ADMIN_PASS" ? ADMIN_PASS : `${n}-'"$\`-pipe`)));
});

afterAll(async () => {
  for (const client of clients) client.socket.disconnect();
  if (io) await new Promise((resolve) => io.close(resolve));
  await ctx?.dispose();
  await ct?.stop();
  await c1?.stop();
  rmSync(drillDir, { recursive: true, force: true });
});

const steer = (file: string, content = "") => writeFileSync(path.join(drillDir, file), content, { mode: 0o666 });
const openGate = (host: string) => {
  execFileSync("mkdir", ["-p", "-m", "777", path.join(drillDir, host)]);
  steer(`${host}/gate-open`);
};

type Client = {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  buffer: LogBuffer;
  /** Every socket.io message the client received, raw, as it came off the wire. */
  frames: string[];
  connects: number;
  /** When a line of this seq first reached the client. */
  arrivedAt: Map<number, number>;
};

/** A client like the dashboard's: on every (re)connect, subscribe and backfill from the gap-free end. */
function follow(runId: string): Client {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ["websocket"], forceNew: true, extraHeaders: { cookie }, reconnectionDelay: 200, reconnectionDelayMax: 500 });
  const client: Client = { socket, buffer: new LogBuffer(), frames: [], connects: 0, arrivedAt: new Map() };
  clients.push(client);
  const take = (lines: LogLineView[]) => {
    const now = performance.now();
    for (const line of lines) if (!client.arrivedAt.has(line.seq)) client.arrivedAt.set(line.seq, now);
    client.buffer.add(lines);
  };
  socket.io.on("open", () => socket.io.engine.on("message", (data) => client.frames.push(typeof data === "string" ? data : `<binary ${String(data)}>`)));
  socket.on("run:lines", (p) => p.runId === runId && take(p.lines));
  socket.on("connect", () => {
    client.connects++;
    const onPage = (r: ({ ok: true } & BackfillPage) | { ok: false; error: string }) => {
      if (!r.ok) throw new Error(r.error);
      take(r.lines);
      if (r.hasMore) socket.emit("run:backfill", { runId, afterSeq: client.buffer.contiguousSeq() }, onPage);
    };
    socket.emit("run:subscribe", { runId, afterSeq: client.buffer.contiguousSeq() }, (r: ({ ok: true } & Subscription) | { ok: false; error: string }) => onPage(r));
  });
  return client;
}

/** The lines carried by raw socket.io packets: `2[event, payload]` events and `3<id>[response]` acks. */
function linesInFrames(frames: string[], runId: string): LogLineView[] {
  const lines: LogLineView[] = [];
  for (const frame of frames) {
    const match = /^([23])\d*(\[[\s\S]*\])$/.exec(frame);
    if (!match) continue;
    const body = JSON.parse(match[2]) as unknown[];
    if (match[1] === "2" && body[0] === "run:lines") {
      const payload = body[1] as { runId: string; lines: LogLineView[] };
      if (payload.runId === runId) lines.push(...payload.lines);
    } else if (match[1] === "3") {
      const response = body[0] as { ok?: boolean; lines?: LogLineView[] };
      if (response?.ok && Array.isArray(response.lines)) lines.push(...response.lines);
    }
  }
  return lines;
}

async function until(what: string, condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the log pipeline from a remote command to a socket client", () => {
  it(`stores and delivers all ${FLOOD_LINES} lines of a flood, across a dropped connection, and never the secret split across two chunks`, { timeout: 240_000 }, async () => {
    openGate("ct");
    openGate("c1");
    steer("flood-lines", String(FLOOD_LINES));

    // When each line was stored: the hub publishes a batch right after its transaction commits.
    const storedAt = new Map<number, number>();
    const unsubscribe = ctx.hub.subscribe((event) => {
      if (event.type !== "lines") return;
      const now = performance.now();
      for (const line of event.lines) storedAt.set(line.seq, now);
    });

    // How many lines waited to be stored at most: the host is slowed down (backpressure), so its
    // output does not pile up here (seq | sed prints the flood ~10 times faster than SQLite stores).
    let maxBacklog = 0;
    const sampler = setInterval(() => (maxBacklog = Math.max(maxBacklog, ctx.logs.backlog)), 2);

    const { run } = await ctx.deploy.start((await ctx.plans.loadForRun(planId))!);
    const startedAt = performance.now();
    const client = follow(run.id);

    // Midway through the flood, the connection drops (as a network blip would); the client reconnects.
    await until("a fifth of the flood to reach the client", () => client.buffer.size >= FLOOD_LINES / 5, 120_000);
    const droppedAt = client.buffer.size;
    client.socket.io.engine.close();
    await until("the client to reconnect", () => client.connects >= 2, 10_000);

    await ctx.deploy.idle();
    clearInterval(sampler);
    // High water, plus what one SSH chunk read after it can hold (32 KB of "flood line N" lines).
    expect(maxBacklog).toBeGreaterThan(0);
    expect(maxBacklog).toBeLessThan(DEFAULT_LOG_WRITER_OPTIONS.highWater + 3_000);
    const finished = (await ctx.runs.get(run.id))!;
    if (finished.status !== "succeeded") {
      const notes = await ctx.db.logLine.findMany({ where: { runId: run.id, NOT: { text: { startsWith: "flood line" } } }, orderBy: { seq: "asc" } });
      console.log(notes.map((l) => `${l.time.toISOString()} ${l.seq} ${l.stream} ${l.text}`).join("\n"));
    }
    expect({ status: finished.status, error: finished.error, failed: finished.stepRuns.filter((s) => s.status !== "succeeded").map((s) => `${s.stepKey}@${s.hostName}: ${s.status} ${s.error}`) }).toEqual({
      status: "succeeded",
      error: null,
      failed: [],
    });
    const stored = await ctx.db.logLine.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } });
    await until("every stored line to reach the client", () => client.buffer.size === stored.length, 60_000);
    unsubscribe();

    // At the host: the flood step printed FLOOD_LINES numbered lines. In SQLite: exactly those, in order.
    const flood = finished.stepRuns.find((s) => s.stepKey === "drill.flood")!;
    const storedFlood = stored.filter((l) => l.stepRunId === flood.id && l.stream === "stdout");
    expect(storedFlood.length).toBe(FLOOD_LINES);
    expect(storedFlood.every((l, i) => l.text === `flood line ${i + 1}`)).toBe(true);
    expect(stored.map((l) => l.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));

    // Over the socket: every stored line, no gap, the flood complete, whatever arrived twice counted once.
    const received = new Map(linesInFrames(client.frames, run.id).map((l) => [l.seq, l]));
    const maxSeq = Math.max(...received.keys());
    expect(maxSeq).toBe(stored.length);
    expect(received.size).toBe(stored.length);
    for (let seq = 1; seq <= maxSeq; seq++) if (!received.has(seq)) throw new Error(`seq ${seq} never arrived over the socket`);
    expect([...received.values()].filter((l) => l.stepRunId === flood.id && l.stream === "stdout").length).toBe(FLOOD_LINES);
    expect(client.buffer.contiguousSeq()).toBe(stored.length);
    expect(client.connects).toBeGreaterThanOrEqual(2);

    // The secret was printed in two chunks 200 ms apart; the line was masked whole.
    const secretLine = `the secret is ${MASK}, said in two pieces`;
    expect(stored.map((l) => l.text)).toContain(secretLine);
    expect([...received.values()].map((l) => l.text)).toContain(secretLine);
    const jsonSecret = JSON.stringify(ADMIN_PASS).slice(1, -1);
    expect(stored.filter((l) => l.text.includes(ADMIN_PASS))).toEqual([]);
    const errors = [finished.error, ...finished.stepRuns.map((s) => s.error)].filter((e) => e !== null);
    for (const error of errors) expect(error).not.toContain(ADMIN_PASS);
    const wire = client.frames.join("\n");
    expect(wire).not.toContain(ADMIN_PASS);
    expect(wire).not.toContain(jsonSecret);
    // Nor anywhere in the database: the secrets table holds it sealed (AES-256-GCM), never as typed.
    await ctx.db.$executeRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    const dump = execFileSync("sqlite3", [ctx.env.databaseFile, ".dump"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).split("\n");
    const logRows = dump.filter((row) => /^INSERT INTO "?LogLine"? /.test(row));
    expect(logRows.length).toBe(stored.length);
    expect(dump.some((row) => /^INSERT INTO "?Secret"? /.test(row))).toBe(true);
    const leaks = dump.filter((row) => row.includes(ADMIN_PASS) || row.includes(ADMIN_PASS.replaceAll("'", "''")));
    expect(leaks).toEqual([]);
    client.socket.disconnect();

    // Throughput: from the first flood line read off the channel to the last one stored, and to the client.
    const floodSeqs = storedFlood.map((l) => l.seq);
    const firstAppended = storedFlood[0].time.getTime();
    const lastStored = storedAt.get(floodSeqs[floodSeqs.length - 1])!;
    const lastArrived = client.arrivedAt.get(floodSeqs[floodSeqs.length - 1])!;
    const wallOffset = Date.now() - performance.now();
    const storeSeconds = (lastStored + wallOffset - firstAppended) / 1000;
    const clientSeconds = (lastArrived + wallOffset - firstAppended) / 1000;
    console.log(
      `Log pipeline: ${FLOOD_LINES} flood lines (${stored.length} lines in the run) stored in ${storeSeconds.toFixed(2)} s ` +
        `= ${Math.round(FLOOD_LINES / storeSeconds)} lines/s into SQLite; at the socket client after ${clientSeconds.toFixed(2)} s ` +
        `(${Math.round(FLOOD_LINES / clientSeconds)} lines/s); dropped at ${droppedAt} lines; whole run ${((performance.now() - startedAt) / 1000).toFixed(1)} s; ` +
        `${client.frames.length} frames, ${(wire.length / 1e6).toFixed(1)} MB.`,
    );
  });
});
