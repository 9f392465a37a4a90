// A TCP proxy in front of the shared server, so a test can cut every connection that passes
// through it (a network drop, as the browser sees it) while the server keeps running for
// the other tests. A page opened on the proxy's URL uses it for HTTP and the WebSocket alike.

import { connect, createServer, type AddressInfo, type Socket } from "node:net";

export interface CuttableProxy {
  /** `http://127.0.0.1:<port>`: the same server, through the proxy. */
  url: string;
  /** Destroys every open connection (both sides); answers how many client connections it cut. */
  cut(): number;
  close(): Promise<void>;
}

export async function cuttableProxy(target: string): Promise<CuttableProxy> {
  const upstreamUrl = new URL(target);
  const clients = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(upstreamUrl.port), upstreamUrl.hostname);
    clients.add(client);
    client.once("close", () => {
      clients.delete(client);
      upstream.destroy();
    });
    upstream.once("close", () => client.destroy());
    client.on("error", () => client.destroy());
    upstream.on("error", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      const n = clients.size;
      for (const socket of clients) socket.destroy();
      return n;
    },
    async close() {
      for (const socket of clients) socket.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
