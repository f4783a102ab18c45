import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogBuffer } from "@/lib/logs/logBuffer";
import type { BackfillPage, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/runEvents";
import { signInForTests } from "../testing/signIn";
import { createTestContext } from "../testing/testContext";
import { attachSocketServer } from "./socketServer";

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let http: HttpServer;
let url: string;
let cookie: string;

beforeAll(async () => {
  ctx = await createTestContext();
  http = createServer();
  attachSocketServer(http, ctx);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  ({ cookie } = await signInForTests(ctx));
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await ctx.dispose();
});

async function newRun(): Promise<string> {
  const plan = await ctx.plans.createTutorialPlan();
  const run = await ctx.runs.create({ plan: { view: plan, secretsSetAt: {} }, kind: "host-check", steps: [] });
  await ctx.logs.openRun(run.id);
  return run.id;
}

/** A client like the dashboard's: subscribe, then backfill page by page from the gap-free end. */
function follow(runId: string, buffer: LogBuffer): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ["websocket"], forceNew: true, extraHeaders: { cookie } });
  socket.on("run:lines", (p) => p.runId === runId && buffer.add(p.lines));
  return new Promise((resolve) => {
    socket.on("connect", () => {
      const onPage = (r: ({ ok: true } & BackfillPage) | { ok: false; error: string }) => {
        if (!r.ok) throw new Error(r.error);
        buffer.add(r.lines);
        if (r.hasMore) socket.emit("run:backfill", { runId, afterSeq: buffer.contiguousSeq() }, onPage);
        else resolve(socket);
      };
      socket.emit("run:subscribe", { runId, afterSeq: buffer.contiguousSeq() }, onPage);
    });
  });
}

const writeLines = async (runId: string, from: number, to: number) => {
  for (let i = from; i <= to; i++) ctx.logs.append(runId, null, "stdout", `line ${i}`);
  await ctx.logs.flush();
};

async function until(condition: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("socket.io run rooms with backfill from SQLite", () => {
  it("gives a late client every line exactly once, also while lines keep coming", async () => {
    const runId = await newRun();
    await writeLines(runId, 1, 5000);
    const buffer = new LogBuffer();
    const writing = writeLines(runId, 5001, 9000); // lands during the subscribe and backfill
    const socket = await follow(runId, buffer);
    await writing;
    await until(() => buffer.size === 9000);
    expect(buffer.contiguousSeq()).toBe(9000);
    expect(buffer.lines().map((l) => l.text)).toEqual(Array.from({ length: 9000 }, (_, i) => `line ${i + 1}`));
    socket.disconnect();
  });

  it("after a dropped connection, a reconnect fetches exactly the lines missed", async () => {
    const runId = await newRun();
    const buffer = new LogBuffer();
    const first = await follow(runId, buffer);
    await writeLines(runId, 1, 300);
    await until(() => buffer.size === 300);
    first.disconnect();
    await writeLines(runId, 301, 2500); // written while the client is away
    const second = await follow(runId, buffer);
    await writeLines(runId, 2501, 2600);
    await until(() => buffer.size === 2600);
    expect(buffer.contiguousSeq()).toBe(2600);
    second.disconnect();
  });

  it("refuses to subscribe to a run that does not exist", async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ["websocket"], forceNew: true, extraHeaders: { cookie } });
    const answer = await new Promise((resolve) => socket.emit("run:subscribe", { runId: "nope", afterSeq: 0 }, resolve));
    expect(answer).toEqual({ ok: false, error: "No such run." });
    socket.disconnect();
  });

  it("refuses the handshake without a session, with a signed-out one, and from another site's page", async () => {
    const handshake = (options: { transports: ("websocket" | "polling")[]; extraHeaders?: Record<string, string> }) =>
      new Promise<string>((resolve) => {
        const socket = connect(url, { ...options, forceNew: true, reconnection: false });
        socket.on("connect", () => {
          socket.disconnect();
          resolve("connected");
        });
        socket.on("connect_error", (error) => {
          socket.disconnect();
          resolve(`refused: ${error.message}`);
        });
      });
    expect(await handshake({ transports: ["websocket"] })).toMatch(/^refused/);
    expect(await handshake({ transports: ["polling"] })).toMatch(/^refused/);
    expect(await handshake({ transports: ["websocket"], extraHeaders: { cookie: `${cookie.split("=")[0]}=forged-token` } })).toMatch(/^refused/);
    expect(await handshake({ transports: ["websocket"], extraHeaders: { cookie, origin: "http://evil.example" } })).toMatch(/^refused/);
    expect(await handshake({ transports: ["polling"], extraHeaders: { cookie } })).toBe("connected");

    const other = await signInAgain();
    expect(await handshake({ transports: ["websocket"], extraHeaders: { cookie: other } })).toBe("connected");
    await ctx.auth.logout(other);
    expect(await handshake({ transports: ["websocket"], extraHeaders: { cookie: other } })).toMatch(/^refused/);
  });
});

/** A second session of the same admin (as a second browser would have). */
async function signInAgain(): Promise<string> {
  const user = await ctx.db.user.findFirstOrThrow();
  const session = await ctx.auth.sessions.create(user.id);
  return `${cookie.split("=")[0]}=${session.token}`;
}
