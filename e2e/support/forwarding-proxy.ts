import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { E2E_TRUSTED_PROXY, E2E_WEB_PORT, E2E_WEB_URL } from "./platform-env.ts";

/**
 * A reverse proxy in front of the web app, as an operator would run one: it connects from the
 * trusted proxy address and appends the address of "its client" (`clientIp`, a stand-in for a
 * visitor elsewhere on the internet) to X-Forwarded-For, after whatever the client sent. It
 * presents itself as the site (Host and Origin), so sign-in works through it.
 */
export async function startForwardingProxy(
  clientIp: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const forwardedFor = [incoming.headers["x-forwarded-for"], clientIp].filter(Boolean).join(", ");
    const headers = {
      ...incoming.headers,
      host: `127.0.0.1:${E2E_WEB_PORT}`,
      "x-forwarded-for": forwardedFor,
    };
    if (headers.origin) headers.origin = E2E_WEB_URL;
    const upstream = request(
      {
        host: "127.0.0.1",
        port: E2E_WEB_PORT,
        localAddress: E2E_TRUSTED_PROXY,
        method: incoming.method,
        path: incoming.url,
        headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.destroy());
    outgoing.on("close", () => upstream.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
