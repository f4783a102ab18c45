import net from "node:net";

/**
 * A plain TCP proxy on loopback in front of a test server, so a test can cut every connection
 * through it at once (what a network blip does to a browser) while both ends stay up.
 */
export type TcpProxy = {
  url: string;
  /** Connections open through the proxy right now. */
  readonly openConnections: number;
  /** Destroys every open connection (both sides); new connections are still accepted. */
  cutAll(): number;
  close(): Promise<void>;
};

export async function startTcpProxy(options: { listenPort: number; targetPort: number; host?: string }): Promise<TcpProxy> {
  const host = options.host ?? "127.0.0.1";
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host, port: options.targetPort });
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listenPort, host, () => resolve());
  });
  return {
    url: `http://${host}:${options.listenPort}`,
    get openConnections() {
      return pairs.size;
    },
    cutAll() {
      const cut = pairs.size;
      for (const { client, upstream } of [...pairs]) {
        // resetAndDestroy sends an RST where available: the browser sees the connection die at once.
        if (typeof client.resetAndDestroy === "function") client.resetAndDestroy();
        else client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      return cut;
    },
    close: async () => {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
