import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createChatProxy, isChatProxyPath, requestHead, type ChatProxy } from "./chat-proxy.ts";

const silentLog = { warn: () => {} };
const servers: Server[] = [];
const proxies: ChatProxy[] = [];
let gatewaySocketsEnded = 0;

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A stand-in gateway: answers polls with what it received, and echoes bytes on an upgraded socket. */
async function startGateway(): Promise<number> {
  const gateway = createServer((incoming, response) => {
    let body = "";
    incoming.on("data", (chunk: Buffer) => (body += chunk.toString()));
    incoming.on("end", () => {
      response.writeHead(200, { "content-type": "application/json", "set-cookie": "io=abc" });
      const { port } = gateway.address() as AddressInfo;
      response.end(
        JSON.stringify({ port, url: incoming.url, method: incoming.method, headers: incoming.headers, body }),
      );
    });
  });
  gateway.on("upgrade", (incoming: IncomingMessage, socket: Duplex) => {
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Seen-For: ${incoming.headers["x-forwarded-for"]}\r\nX-Seen-Cookie: ${incoming.headers.cookie ?? "none"}\r\n\r\n`,
    );
    socket.on("data", (chunk: Buffer) => socket.write(chunk));
    socket.on("end", () => {
      gatewaySocketsEnded += 1;
      socket.destroy();
    });
  });
  return listen(gateway);
}

/** The web server's routing, reduced to the proxy. */
async function startFront(gatewayPort: number): Promise<number> {
  const proxy = createChatProxy({ gatewayUrls: [`http://127.0.0.1:${gatewayPort}`], log: silentLog });
  proxies.push(proxy);
  const front = createServer((incoming, response) => {
    if (isChatProxyPath(incoming.url)) proxy.forwardRequest(incoming, response, "203.0.113.7");
    else response.writeHead(404).end();
  });
  front.on("upgrade", (incoming: IncomingMessage, socket: Duplex, head: Buffer) =>
    proxy.forwardUpgrade(incoming, socket, head, "203.0.113.7"),
  );
  return listen(front);
}

function fetchVia(
  port: number,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
) {
  return new Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }>(
    (resolve, reject) => {
      const outgoing = request(
        { host: "127.0.0.1", port, path, method: init.method ?? "GET", headers: init.headers },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        },
      );
      outgoing.on("error", reject);
      outgoing.end(init.body);
    },
  );
}

/** Sends a raw upgrade request; resolves with the socket and the first bytes it reads back. */
function upgradeVia(port: number): Promise<{ socket: Socket; reply: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Forwarded-For: 6.6.6.6\r\nCookie: relaycast.session_token=secret-session\r\n\r\n",
      );
    });
    socket.once("data", (chunk: Buffer) => resolve({ socket, reply: chunk.toString() }));
    socket.once("error", reject);
    socket.once("close", () => resolve({ socket, reply: "" }));
  });
}

describe("chat proxy", () => {
  it("matches socket.io's path only", () => {
    expect(isChatProxyPath("/socket.io/?EIO=4&transport=polling")).toBe(true);
    expect(isChatProxyPath("/socket.io")).toBe(false);
    expect(isChatProxyPath("/socket.iox/")).toBe(false);
    expect(isChatProxyPath("/alice")).toBe(false);
    expect(isChatProxyPath(undefined)).toBe(false);
  });

  it("forwards a poll with its body and replaces X-Forwarded-For with the resolved client IP", async () => {
    const front = await startFront(await startGateway());
    const response = await fetchVia(front, "/socket.io/?EIO=4&transport=polling&sid=x", {
      method: "POST",
      body: "40",
      headers: {
        "x-forwarded-for": "6.6.6.6",
        "content-type": "text/plain",
        cookie: "relaycast.session_token=secret-session; other=1",
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers["set-cookie"]).toEqual(["io=abc"]);
    const seen = JSON.parse(response.body) as {
      url: string;
      method: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(seen).toMatchObject({
      url: "/socket.io/?EIO=4&transport=polling&sid=x",
      method: "POST",
      body: "40",
    });
    expect(seen.headers["x-forwarded-for"]).toBe("203.0.113.7");
    expect(seen.headers.cookie).toBeUndefined();
  });

  it("answers 502 when the gateway is down, and keeps serving", async () => {
    const closedPort = await listen(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const front = await startFront(closedPort);
    expect((await fetchVia(front, "/socket.io/?EIO=4&transport=polling")).status).toBe(502);
    expect((await fetchVia(front, "/socket.io/?EIO=4&transport=polling")).status).toBe(502);
  });

  it("tunnels a WebSocket upgrade both ways", async () => {
    const front = await startFront(await startGateway());
    const { socket, reply } = await upgradeVia(front);
    expect(reply).toMatch(/^HTTP\/1\.1 101/);
    expect(reply).toContain("X-Seen-For: 203.0.113.7");
    expect(reply).toContain("X-Seen-Cookie: none");
    const echoed = new Promise<string>((resolve) =>
      socket.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    socket.write("ping");
    expect(await echoed).toBe("ping");
    const endedBefore = gatewaySocketsEnded;
    socket.destroy();
    await expect.poll(() => gatewaySocketsEnded).toBe(endedBefore + 1);
  });

  it("drops the upgrade socket when the gateway is down", async () => {
    const closedPort = await listen(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const front = await startFront(closedPort);
    const { socket, reply } = await upgradeVia(front);
    expect(reply).toBe("");
    expect(socket.destroyed).toBe(true);
  });

  it("writes the upgrade request head without the client's own X-Forwarded-For or cookies", () => {
    const head = requestHead(
      {
        method: "GET",
        url: "/socket.io/?EIO=4",
        rawHeaders: ["Host", "a.test", "x-forwarded-for", "6.6.6.6", "Cookie", "s=1", "Upgrade", "websocket"],
      },
      "10.1.2.3",
    );
    expect(head).toBe(
      "GET /socket.io/?EIO=4 HTTP/1.1\r\nHost: a.test\r\nUpgrade: websocket\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n",
    );
  });

  it("spreads clients over several gateways and keeps each client address on one", async () => {
    const gatewayPorts = [await startGateway(), await startGateway()];
    const proxy = createChatProxy({
      gatewayUrls: gatewayPorts.map((port) => `http://127.0.0.1:${port}`),
      log: silentLog,
    });
    proxies.push(proxy);
    const front = createServer((incoming, response) =>
      proxy.forwardRequest(incoming, response, String(incoming.headers["x-test-client"])),
    );
    const frontPort = await listen(front);
    /** The gateway a client's poll reached. */
    const gatewayOf = async (client: string) => {
      const reply = await fetchVia(frontPort, "/socket.io/?EIO=4&transport=polling", {
        headers: { "x-test-client": client },
      });
      return (JSON.parse(reply.body) as { port: number }).port;
    };
    const reached = new Map<string, Set<number>>();
    for (let index = 0; index < 20; index += 1) {
      const client = `198.51.100.${index}`;
      for (let poll = 0; poll < 3; poll += 1) {
        const port = await gatewayOf(client);
        reached.set(client, (reached.get(client) ?? new Set()).add(port));
      }
    }
    expect([...reached.values()].every((ports) => ports.size === 1)).toBe(true);
    const used = new Set([...reached.values()].flatMap((ports) => [...ports]));
    expect(used).toEqual(new Set(gatewayPorts));
  });
});
