import { createServer, type AddressInfo, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CannotListen, listenOn } from "./listen";

const servers: Server[] = [];
const server = () => {
  const s = createServer();
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.listening ? s.close(resolve) : resolve(undefined)))));
});

describe("listenOn", () => {
  it("says a busy port is busy and names a free one to start on instead", async () => {
    const other = server();
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const busy = (other.address() as AddressInfo).port;

    const refusal = await listenOn(server(), "127.0.0.1", busy).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CannotListen);
    const suggested = Number(/start with PORT=(\d+),/.exec((refusal as Error).message)?.[1]);
    expect((refusal as Error).message).toBe(`Port ${busy} on 127.0.0.1 is already in use by another program; start with PORT=${suggested}, or stop that program first.`);
    // The suggestion is real: the port is free.
    await listenOn(server(), "127.0.0.1", suggested);
  });

  it("says an address that is not this machine's is not", async () => {
    await expect(listenOn(server(), "192.0.2.1", 3000)).rejects.toThrow("192.0.2.1 is not an address of this machine; set HOST to one of its addresses (127.0.0.1, or 0.0.0.0 for all of them).");
  });
});
