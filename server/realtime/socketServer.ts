import type { Server as HttpServer } from "node:http";
import { isSameOrigin } from "../auth/requestGate";
import { Server } from "socket.io";
import { BACKFILL_PAGE_SIZE, runRoom, type BackfillPage, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/realtime/runEvents";
import type { Auth } from "../auth/auth";
import type { LogStore } from "../store/logStore";
import type { RunStore } from "../store/runStore";
import type { RunEventHub } from "./runEventHub";

/** What the live channel uses: who is signed in, what happens in runs, and the stored runs and lines. */
export type SocketServerDeps = {
  auth: Pick<Auth, "signedIn">;
  hub: RunEventHub;
  runs: RunStore;
  logLines: LogStore;
};

/**
 * socket.io on the wizard's own HTTP server: one room per run. A client joins the room first and
 * then reads the stored lines after the last seq it has, so nothing falls between the two; the
 * client drops lines it already has by seq.
 */
export function attachSocketServer(httpServer: HttpServer, { auth, hub, runs, logLines }: SocketServerDeps): Server<ClientToServerEvents, ServerToClientEvents> {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    // The handshake needs a session (else HTTP 403), for polling and WebSocket alike, and no
    // other site's page may open one.
    allowRequest: (req, callback) => {
      if (!isSameOrigin(req.headers)) return callback("Another site's page may not connect.", false);
      auth.signedIn(req.headers.cookie).then(
        (session) => callback(session ? null : "Sign in first.", session !== null),
        () => callback("The session could not be checked.", false),
      );
    },
    // Large backfill pages of long lines stay well under this.
    maxHttpBufferSize: 1e6,
  });

  hub.subscribe((event) => {
    const room = io.to(runRoom(event.runId));
    if (event.type === "lines") room.emit("run:lines", { runId: event.runId, lines: event.lines });
    else if (event.type === "step") room.emit("run:step", { runId: event.runId, stepRun: event.stepRun });
    else if (event.type === "status") room.emit("run:status", { runId: event.runId, run: event.run });
    else if (event.type === "port") room.emit("run:port", { runId: event.runId, check: event.check });
    else room.emit("run:transfer", { runId: event.runId, transfer: event.transfer });
  });

  io.on("connection", (socket) => {
    const backfill = (runId: string, afterSeq: number): Promise<BackfillPage> => logLines.page(runId, afterSeq, BACKFILL_PAGE_SIZE);
    const valid = (request: unknown): request is { runId: string; afterSeq: number } => {
      const r = request as { runId?: unknown; afterSeq?: unknown };
      return typeof r?.runId === "string" && r.runId.length <= 64 && Number.isInteger(r.afterSeq) && (r.afterSeq as number) >= 0;
    };

    socket.on("run:subscribe", async (request, ack) => {
      if (typeof ack !== "function") return;
      if (!valid(request)) return ack({ ok: false, error: "Bad subscribe request." });
      if (!(await runs.exists(request.runId))) return ack({ ok: false, error: "No such run." });
      await socket.join(runRoom(request.runId));
      const run = await runs.get(request.runId);
      if (!run) return ack({ ok: false, error: "No such run." });
      ack({ ok: true, run, ...(await backfill(request.runId, request.afterSeq)) });
    });

    socket.on("run:backfill", async (request, ack) => {
      if (typeof ack !== "function") return;
      if (!valid(request)) return ack({ ok: false, error: "Bad backfill request." });
      ack({ ok: true, ...(await backfill(request.runId, request.afterSeq)) });
    });

    socket.on("run:unsubscribe", (request) => {
      if (typeof request?.runId === "string") void socket.leave(runRoom(request.runId));
    });
  });
  return io;
}
