import Database from "better-sqlite3";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import type { Ack, BackfillPage, ClientToServerEvents, ServerToClientEvents, Subscription } from "@/lib/realtime/runEvents";
import type { LogLineView, RunView } from "@/lib/runs/runView";
import type { LoopbackSshd } from "@/server/testing/loopbackSshd";
import { FLOOD_PARSE } from "./playbooks";
import type { BenchServer } from "./serverProcess";

export type StreamingResult = {
  lines: number;
  /** From the first flood line's receipt to the last's, at the socket.io client. */
  firstToLastS: number;
  /** From the first line's print to the last's, on the host (how fast it was produced). */
  hostPrintS: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  maxLatencyMs: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  peakRssMiB: number;
  /** The server's peak RSS before the step started (started, signed in, plan saved). */
  idlePeakRssMiB: number;
  sqliteRows: number;
  sqliteFloodRows: number;
  runStatus: string;
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * One step printing `lines` lines of 100 bytes on the controller, watched by a socket.io client
 * the way the dashboard watches a run: signed in, it subscribes to the run as soon as the
 * deployment is started, pages through what was stored before, and takes the live lines; a line
 * seen twice counts once (by seq). Each line carries its print time from the host.
 */
export async function measureLogStreaming(server: BenchServer, hosts: LoopbackSshd[], lines: number): Promise<StreamingResult> {
  const plan = await server.createPlan(hosts);
  const idlePeakRssMiB = server.peakRssMiB();
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
    transports: ["websocket"],
    extraHeaders: { cookie: `${server.session.cookieName}=${server.session.token}` },
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (e) => reject(new Error(`socket.io: ${e.message}`)));
  });

  const latencyUs = new Float64Array(lines);
  const receivedAt = new Float64Array(lines);
  const printedAt = new Float64Array(lines);
  const seen = new Uint8Array(lines);
  const seenSeq = new Set<number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let lastIndex = -1;
  let received = 0;
  let runId = "";
  let finished: (run: Omit<RunView, "stepRuns">) => void = () => undefined;
  const runEnded = new Promise<Omit<RunView, "stepRuns">>((resolve) => (finished = resolve));

  const take = (batch: LogLineView[]) => {
    const nowUs = Date.now() * 1000;
    for (const line of batch) {
      if (seenSeq.has(line.seq)) {
        duplicates++;
        continue;
      }
      seenSeq.add(line.seq);
      const match = FLOOD_PARSE.exec(line.text);
      if (!match) continue;
      const index = Number(match[1]);
      if (index >= lines || seen[index]) continue;
      if (index < lastIndex) outOfOrder++;
      lastIndex = index;
      seen[index] = 1;
      received++;
      printedAt[index] = Number(match[2]);
      receivedAt[index] = nowUs;
      latencyUs[index] = nowUs - printedAt[index];
    }
  };
  socket.on("run:lines", (payload) => payload.runId === runId && take(payload.lines));
  socket.on("run:status", (payload) => payload.runId === runId && payload.run.status !== "running" && payload.run.status !== "pending" && finished(payload.run));

  const started = await server.session.fetch(`/api/plans/${plan.id}/deployments`, { method: "POST" });
  if (started.status !== 202) throw new Error(`Deploy: ${started.status} ${await started.text()}`);
  runId = ((await started.json()) as RunView).id;
  const onPage: Ack<BackfillPage> = (response) => {
    if (!response.ok) throw new Error(response.error);
    take(response.lines);
    if (response.hasMore) socket.emit("run:backfill", { runId, afterSeq: response.lines[response.lines.length - 1].seq }, onPage);
  };
  socket.emit("run:subscribe", { runId, afterSeq: 0 }, onPage as Ack<Subscription>);

  const ended = await runEnded;
  // Lines are published before the run's status moves; give the last frames a moment anyway.
  await new Promise((r) => setTimeout(r, 1000));
  socket.close();

  const db = new Database(path.join(server.dataDir, "stackpilot.db"), { readonly: true, fileMustExist: true });
  const count = (sql: string) => (db.prepare(sql).get(runId) as { n: number }).n;
  const sqliteRows = count(`SELECT COUNT(*) AS n FROM "LogLine" WHERE "runId" = ?`);
  const sqliteFloodRows = count(`SELECT COUNT(*) AS n FROM "LogLine" WHERE "runId" = ? AND "stream" = 'stdout' AND "text" LIKE 'flood %'`);
  db.close();

  const got = latencyUs.filter((_, i) => seen[i] === 1).sort();
  const receipts = receivedAt.filter((_, i) => seen[i] === 1);
  const prints = printedAt.filter((_, i) => seen[i] === 1);
  const span = (a: Float64Array) => (a.length ? (a.reduce((m, x) => Math.max(m, x), -Infinity) - a.reduce((m, x) => Math.min(m, x), Infinity)) / 1e6 : NaN);
  return {
    lines,
    firstToLastS: span(receipts),
    hostPrintS: span(prints),
    p50LatencyMs: percentile(got, 50) / 1000,
    p95LatencyMs: percentile(got, 95) / 1000,
    maxLatencyMs: got.length ? got[got.length - 1] / 1000 : NaN,
    lost: lines - received,
    duplicates,
    outOfOrder,
    peakRssMiB: server.peakRssMiB(),
    idlePeakRssMiB,
    sqliteRows,
    sqliteFloodRows,
    runStatus: ended.status,
  };
}
