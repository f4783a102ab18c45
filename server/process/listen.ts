import { createServer, type Server } from "node:net";

/** The server cannot listen where it was told to: the message says why and what to do. */
export class CannotListen extends Error {
  override readonly name = "CannotListen";
}

/**
 * Listens on host:port, or fails with a sentence for a person instead of `listen EADDRINUSE`:
 * a busy port comes with a free one to start on instead.
 */
export async function listenOn(server: Server, host: string, port: number): Promise<void> {
  try {
    await listen(server, host, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      const free = await firstFreePort(host, port + 1);
      throw new CannotListen(`Port ${port} on ${host} is already in use by another program; start with PORT=${free ?? "<another port>"}, or stop that program first.`);
    }
    if (code === "EACCES") throw new CannotListen(`Port ${port} on ${host} needs privileges this user does not have; start with a port above 1023 (PORT=3000).`);
    if (code === "EADDRNOTAVAIL") throw new CannotListen(`${host} is not an address of this machine; set HOST to one of its addresses (127.0.0.1, or 0.0.0.0 for all of them).`);
    throw error;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      resolve();
    });
  });
}

/** The first port from `from` on (ten tried) that nothing listens on, to suggest. */
async function firstFreePort(host: string, from: number): Promise<number | null> {
  for (let port = from; port < from + 10 && port <= 65535; port++) {
    const probe = createServer();
    const free = await listen(probe, host, port).then(
      () => true,
      () => false,
    );
    if (free) {
      await new Promise((resolve) => probe.close(resolve));
      return port;
    }
  }
  return null;
}
