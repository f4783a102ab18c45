import { mkdirSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import path from "node:path";
import next from "next";
import { createRequestGate } from "./auth/requestGate";
import { initAppContext, type AppContext, type AppOptions } from "./context";
import { applyMigrations } from "./db/migrate";
import type { Env } from "./env";
import { listenOn } from "./process/listen";
import { lockDataDir } from "./process/serverLock";
import { attachSocketServer } from "./realtime/socketServer";

export type RunningServer = { ctx: AppContext; httpServer: Server; url: string };

/**
 * The wizard's process, in an order that changes nothing when it cannot run: first the data
 * directory's lock (another server there is named and left alone), then the port (a busy one is
 * said as such), and only then the database: migrations, and runs left "running" by a previous
 * process marked interrupted. Next.js and socket.io then serve on the one HTTP server.
 */
export async function startServer(settings: Env, options: AppOptions = {}): Promise<RunningServer> {
  const dev = settings.NODE_ENV !== "production";
  const shownHost = settings.HOST === "0.0.0.0" ? "localhost" : settings.HOST;
  const url = `http://${shownHost}:${settings.PORT}`;
  mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(settings.dataDir);

  // Listening holds the port from here on; until the app is ready every request is told to wait.
  let serve: RequestListener = (_req, res) => {
    res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "2" }).end(JSON.stringify({ error: "StackPilot is starting; try again in a moment." }));
  };
  const httpServer = createServer((req, res) => serve(req, res));
  try {
    await listenOn(httpServer, settings.HOST, settings.PORT);
  } catch (error) {
    lock.release();
    throw error;
  }
  if (lock.previous) console.log(`The StackPilot server before this one (process ${lock.previous.pid}, ${lock.previous.url}) ended without shutting down; this one takes over ${settings.dataDir}.`);
  lock.announce(url);

  const applied = applyMigrations(settings.databaseFile, path.resolve("prisma/migrations"));
  if (applied.length > 0) console.log(`Database ${settings.databaseFile}: applied ${applied.join(", ")}`);

  // Loads the secret key (made at first start) and seals secrets an older version kept in plain text.
  const ctx = await initAppContext(settings, options);
  if (ctx.secrets.keyCreated) console.log(`Created the secret key ${ctx.secrets.keyFile} (mode 0600). Back it up with the database: without it the stored passwords cannot be read.`);
  if (ctx.secrets.sealedNow > 0) console.log(`Encrypted ${ctx.secrets.sealedNow} secret(s) that were stored in plain text.`);
  // Safe only because this process holds the lock: no other server is executing these runs.
  const interrupted = await ctx.runs.interruptLeftovers("The StackPilot server stopped while this was running. Resume to go on from here.");
  if (interrupted > 0) console.log(`Marked ${interrupted} unfinished run(s) as interrupted.`);

  const app = next({ dev, hostname: settings.HOST, port: settings.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Every request passes the sign-in gate before Next sees it; socket.io checks at its handshake.
  const gate = createRequestGate(ctx.auth, dev);
  serve = (req, res) => {
    gate(req, res)
      .then((pass) => (pass ? handle(req, res) : undefined))
      .catch((error) => {
        console.error(`${req.method} ${req.url?.split("?")[0]} failed:`, error instanceof Error ? error.message : error);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "Something went wrong on the server; see its console." }));
      });
  };
  attachSocketServer(httpServer, ctx);

  console.log(`StackPilot is ready: ${url}${dev ? " (development)" : ""}`);
  const setupToken = await ctx.auth.issueSetupTokenIfNeeded();
  if (setupToken) {
    console.log(
      [
        "",
        `No account exists yet. Open ${url}/login and create the admin account with this one-time setup token:`,
        "",
        `    ${setupToken}`,
        "",
        `(It is also in ${ctx.auth.setupToken.file}, readable by this user only, and stops working once used.)`,
        "",
      ].join("\n"),
    );
  }

  const shutdown = async () => {
    await ctx.logs.flush();
    lock.release();
    process.exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return { ctx, httpServer, url };
}
