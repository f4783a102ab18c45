import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as imageRoute from "@/app/api/plans/[planId]/image/route";
import type { PlanImageView } from "@/lib/plan/planImage";
import { createRequestGate } from "../auth/requestGate";
import { signInForTests } from "../testing/signIn";
import { createTestContext, type TestContext } from "../testing/testContext";
import { ImageStore } from "../store/imageStore";

/**
 * The image upload route behind the server's own sign-in gate, on a real HTTP server: the browser's
 * requests arrive as a stream of chunks, and the route must store them as they come.
 */

const LIMIT = 8 * 1024 * 1024;
let ctx: TestContext;
let http: Server;
let base: string;
let auth: { cookie: string; csrfToken: string };
let planId: string;

const HANDLERS: Record<string, (request: Request, route: { params: Promise<{ planId: string }> }) => Promise<Response>> = {
  GET: imageRoute.GET,
  PUT: imageRoute.PUT,
  PATCH: imageRoute.PATCH,
  DELETE: imageRoute.DELETE,
};

beforeAll(async () => {
  ctx = await createTestContext();
  // The route reads the process's context; this one takes at most 8 MiB, so "too large" is quick to reach.
  const routeCtx = { ...ctx, images: new ImageStore(ctx.db, ctx.env.dataDir, LIMIT) };
  (globalThis as { stackpilotContext?: Promise<unknown> }).stackpilotContext = Promise.resolve(routeCtx);
  const gate = createRequestGate(ctx.auth, false);
  http = createServer((req, res) => {
    void (async () => {
      if (!(await gate(req, res))) return;
      const match = /^\/api\/plans\/([^/]+)\/image$/.exec(req.url ?? "");
      const handler = HANDLERS[req.method ?? ""];
      if (!match || !handler) return res.writeHead(404).end();
      const hasBody = !["GET", "HEAD", "DELETE"].includes(req.method!);
      const request = new Request(`${base}${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])),
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: "half",
      } as RequestInit);
      const response = await handler(request, { params: Promise.resolve({ planId: match[1] }) });
      res.writeHead(response.status, { "content-type": "application/json" }).end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  auth = await signInForTests(ctx);
  planId = (await ctx.plans.createTutorialPlan()).id;
});

afterAll(async () => {
  delete (globalThis as { stackpilotContext?: Promise<unknown> }).stackpilotContext;
  await new Promise((resolve) => http?.close(resolve));
  await ctx?.dispose();
});

const planDir = () => path.join(ctx.env.dataDir, "images", planId);

/** A disk image as qemu-img would start it: the qcow2 magic, then data. */
function qcow2Like(bytes: number): Buffer {
  const file = randomBytes(bytes);
  Buffer.from([0x51, 0x46, 0x49, 0xfb]).copy(file);
  return file;
}

type Answer = { status: number; body: Record<string, unknown> };

/**
 * A browser-like request, the body sent in chunks; `between` runs after the first half is sent,
 * before the rest. `declaredBytes` sets Content-Length instead of chunked encoding.
 */
function send(method: string, options: { body?: Buffer; fileName?: string; csrf?: boolean; declaredBytes?: number; between?: () => Promise<void>; cutOff?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { cookie: auth.cookie, origin: base };
  if (options.csrf !== false) headers["x-csrf-token"] = auth.csrfToken;
  if (options.fileName) headers["x-file-name"] = encodeURIComponent(options.fileName);
  if (options.declaredBytes !== undefined) headers["content-length"] = String(options.declaredBytes);
  if (options.body && method === "PATCH") headers["content-type"] = "application/json";
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/plans/${planId}/image`, { method, headers }, (res: IncomingMessage) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on("error", (error) => (options.cutOff ? resolve({ status: 0, body: {} }) : reject(error)));
    void (async () => {
      const body = options.body ?? Buffer.alloc(0);
      const half = Math.floor(body.length / 2);
      if (half > 0) req.write(body.subarray(0, half));
      await options.between?.();
      if (options.cutOff) return req.destroy();
      req.end(body.subarray(half));
    })();
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const partialBytes = () => (existsSync(planDir()) ? readdirSync(planDir()).filter((f) => f.startsWith(".upload-")).reduce((sum, f) => sum + statSync(path.join(planDir(), f)).size, 0) : 0);

describe("uploading a plan's VM image over HTTP", () => {
  it("streams the file to disk as it arrives and describes it in the plan: name, size, SHA-256, qcow2, login user cirros", async () => {
    const file = qcow2Like(6 * 1024 * 1024);
    const answer = await send("PUT", {
      body: file,
      fileName: "cirros-0.3.5-x86_64-disk.img",
      // Half the file is on the server's disk before the other half is even sent: nothing waits for the whole body.
      between: () => until("the first half on disk", () => partialBytes() >= file.length / 2),
    });
    expect(answer.status).toBe(200);
    const sha256 = createHash("sha256").update(file).digest("hex");
    const image = answer.body.uploadedImage as PlanImageView;
    expect(image).toMatchObject({ fileName: "cirros-0.3.5-x86_64-disk.img", bytes: file.length, sha256, diskFormat: "qcow2", loginUser: "cirros" });
    expect(readdirSync(planDir())).toEqual([sha256]);
    expect(readFileSync(path.join(planDir(), sha256)).equals(file)).toBe(true);
    expect((await ctx.plans.get(planId))!.uploadedImage).toEqual(image);
    // The bytes are beside the database, never in it.
    expect(statSync(ctx.env.databaseFile).size).toBeLessThan(file.length);
  });

  it("replaces the image with the next upload (raw: no magic), keeping the login user and only the new file", async () => {
    const patched = await send("PATCH", { body: Buffer.from(JSON.stringify({ loginUser: "ubuntu" })) });
    expect(patched.status).toBe(200);
    const file = randomBytes(300_000);
    file[0] = 0;
    const answer = await send("PUT", { body: file, fileName: "../../etc/disk.raw" });
    expect(answer.status).toBe(200);
    // A name with a path keeps only its last part: it is shown, never used as a path.
    expect(answer.body.uploadedImage).toMatchObject({ fileName: "disk.raw", bytes: 300_000, diskFormat: "raw", loginUser: "ubuntu" });
    expect(readdirSync(planDir())).toEqual([createHash("sha256").update(file).digest("hex")]);
  });

  it("refuses a login user that is no Linux user name, and changes nothing", async () => {
    const answer = await send("PATCH", { body: Buffer.from(JSON.stringify({ loginUser: "root; reboot" })) });
    expect(answer.status).toBe(400);
    expect((await ctx.plans.get(planId))!.uploadedImage?.loginUser).toBe("ubuntu");
  });

  it("refuses a file over the limit with a message that says the limit, before reading it when its size is announced, and keeps the image it had", async () => {
    const before = (await ctx.plans.get(planId))!.uploadedImage;
    // A browser announces the size (Content-Length): refused before a byte of the file is stored.
    const announced = await send("PUT", { body: qcow2Like(LIMIT + 1), fileName: "big.img", declaredBytes: LIMIT + 1 });
    expect(announced.status).toBe(413);
    expect(announced.body.error).toBe("The image is larger than 8.0 MiB, the most StackPilot takes.");
    // A client that does not announce it is cut off once the limit is passed (the answer may not reach it).
    const streamed = await send("PUT", { body: qcow2Like(LIMIT + 1), fileName: "big.img", cutOff: false }).catch(() => null);
    if (streamed) expect(streamed.status).toBe(413);
    await until("the refused upload cleared away", () => partialBytes() === 0);
    expect((await ctx.plans.get(planId))!.uploadedImage).toEqual(before);
    expect(readdirSync(planDir())).toHaveLength(1);
  });

  it("leaves nothing behind of an upload cut off halfway", async () => {
    const before = (await ctx.plans.get(planId))!.uploadedImage;
    await send("PUT", { body: qcow2Like(4 * 1024 * 1024), fileName: "cut.img", cutOff: true, between: () => until("the first half on disk", () => partialBytes() >= 2 * 1024 * 1024) });
    await until("the cut-off upload cleared away", () => partialBytes() === 0 && readdirSync(planDir()).length === 1);
    expect((await ctx.plans.get(planId))!.uploadedImage).toEqual(before);
  });

  it("takes no upload without the session's CSRF token", async () => {
    const before = (await ctx.plans.get(planId))!.uploadedImage;
    const answer = await send("PUT", { body: qcow2Like(1000), fileName: "forged.img", csrf: false });
    expect(answer.status).toBe(403);
    expect((await ctx.plans.get(planId))!.uploadedImage).toEqual(before);
  });

  it("removes the image and its file", async () => {
    const answer = await send("DELETE");
    expect(answer).toEqual({ status: 200, body: { uploadedImage: null } });
    expect((await ctx.plans.get(planId))!.uploadedImage).toBeNull();
    expect(existsSync(planDir())).toBe(false);
    expect((await send("PATCH", { body: Buffer.from(JSON.stringify({ loginUser: "cirros" })) })).status).toBe(404);
  });
});
