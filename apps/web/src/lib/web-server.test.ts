import { request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { trustedProxySet } from "@relaycast/config";
import { Health } from "@relaycast/logger";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER } from "./client-ip.ts";
import { BODY_TOO_LARGE_MESSAGE } from "./form-limits.ts";
import { createWebServer, type WebServerOptions } from "./web-server.ts";

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Called when a request for /slow reaches the handler. */
let slowArrived: (() => void) | null = null;

/** Stands in for Next.js: echoes what it was given; event streams stay open until the client leaves. */
async function handle(incoming: IncomingMessage, response: ServerResponse) {
  if (incoming.url === "/slow") {
    slowArrived?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("answered");
    return;
  }
  if (incoming.url?.endsWith("/events")) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(": open\n\n");
    return;
  }
  response.setHeader("set-cookie", ["a=1; Path=/; HttpOnly", "b=2; Path=/; Secure"]);
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ headers: incoming.headers }));
}

async function startWebServer(overrides: Partial<WebServerOptions> = {}): Promise<number> {
  return (await startWebServerWithStop(overrides)).port;
}

async function startWebServerWithStop(overrides: Partial<WebServerOptions> = {}) {
  const { server, closeGracefully } = createWebServer({
    handle,
    upgrade: (_request, socket) => socket.destroy(),
    chatProxy: { forwardRequest: () => {}, forwardUpgrade: () => {} },
    // The test's own "reverse proxy" connects from 127.0.0.2; everyone else is a direct client.
    trustedProxies: trustedProxySet(["127.0.0.2"]),
    apiRequestsPerMinute: 1000,
    eventStreams: { maxPerIp: 100, maxTotal: 100 },
    security: { isHttps: false, isDev: false, mediaOriginsFor: () => ["http://media.test:8000"] },
    log: { error: () => {} },
    ...overrides,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, closeGracefully };
}

type Reply = { status: number; headers: IncomingMessage["headers"]; body: string; response: IncomingMessage };

function send(
  port: number,
  path: string,
  {
    headers = {},
    from,
    body,
    keepOpen = false,
  }: { headers?: Record<string, string>; from?: string; body?: string; keepOpen?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: body ? "POST" : "GET",
        headers,
        localAddress: from,
        agent: false,
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (keepOpen)
            resolve({ status: response.statusCode!, headers: response.headers, body: text, response });
        });
        response.on("end", () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: text, response }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const seenClientIp = (reply: Reply) =>
  (JSON.parse(reply.body) as { headers: Record<string, string> }).headers[CLIENT_IP_HEADER];

describe("web server", () => {
  it("takes a direct client at its socket address, whatever X-Forwarded-For it forges", async () => {
    const port = await startWebServer();
    const reply = await send(port, "/", {
      headers: { "x-forwarded-for": "203.0.113.9", [CLIENT_IP_HEADER]: "203.0.113.9" },
    });
    expect(seenClientIp(reply)).toBe("127.0.0.1");
  });

  it("behind a trusted proxy, takes the hop the proxy appended and ignores what the client wrote", async () => {
    const port = await startWebServer();
    const reply = await send(port, "/", {
      from: "127.0.0.2",
      headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9" },
    });
    expect(seenClientIp(reply)).toBe("203.0.113.9");
    const malformed = await send(port, "/", {
      from: "127.0.0.2",
      headers: { "x-forwarded-for": "<script>" },
    });
    expect(seenClientIp(malformed)).toBe("127.0.0.2");
  });

  it("limits the public API per client IP with 429 and Retry-After; forged hops buy nothing", async () => {
    const port = await startWebServer({ apiRequestsPerMinute: 5 });
    for (let index = 0; index < 5; index += 1) {
      const reply = await send(port, "/api/v1/channels", {
        headers: { "x-forwarded-for": `198.51.100.${index}` },
      });
      expect(reply.status).toBe(200);
    }
    const refused = await send(port, "/api/v1/channels", { headers: { "x-forwarded-for": "198.51.100.77" } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "RATE_LIMITED" } });
    // Pages are not the API; another client behind the proxy has its own budget.
    expect((await send(port, "/alice")).status).toBe(200);
    const other = await send(port, "/api/v1/channels", {
      from: "127.0.0.2",
      headers: { "x-forwarded-for": "203.0.113.5" },
    });
    expect(other.status).toBe(200);
  });

  it("caps open event streams per IP and in total, and frees a slot when a stream closes", async () => {
    const port = await startWebServer({ eventStreams: { maxPerIp: 2, maxTotal: 3 } });
    const open = (from?: string, forwardedFor?: string) =>
      send(port, "/api/v1/channels/alice/events", {
        from,
        headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
        keepOpen: true,
      });
    const first = await open();
    await open(undefined, "198.51.100.1");
    const overPerIp = await open(undefined, "198.51.100.2");
    expect(overPerIp.status).toBe(429);
    expect(overPerIp.headers["retry-after"]).toBeDefined();
    expect((await open("127.0.0.2", "203.0.113.5")).status).toBe(200);
    const overTotal = await open("127.0.0.2", "203.0.113.6");
    expect(overTotal.status).toBe(503);
    first.response.destroy();
    await expect.poll(async () => (await open("127.0.0.2", "203.0.113.6")).status).toBe(200);
  });

  it("sets a Content-Security-Policy with a fresh script nonce, which the pages see on the request", async () => {
    const port = await startWebServer();
    const [one, two] = [await send(port, "/"), await send(port, "/")];
    const policy = String(one.headers["content-security-policy"]);
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(policy.split("; ").find((directive) => directive.startsWith("script-src"))).not.toContain(
      "unsafe-inline",
    );
    expect(policy).toContain("connect-src 'self' http://media.test:8000 ws://media.test:8000");
    expect(policy).toContain("object-src 'none'");
    expect(two.headers["content-security-policy"]).not.toContain(nonce);
    expect(
      (JSON.parse(one.body) as { headers: Record<string, string> }).headers["content-security-policy"],
    ).toBe(policy);
    expect(one.headers["strict-transport-security"]).toBeUndefined();
  });

  it("on an https site, sends HSTS and makes every cookie Secure", async () => {
    const port = await startWebServer({
      security: { isHttps: true, isDev: false, mediaOriginsFor: () => ["https://media.test"] },
    });
    const reply = await send(port, "/");
    expect(reply.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
    expect(reply.headers["set-cookie"]).toEqual(["a=1; Path=/; HttpOnly; Secure", "b=2; Path=/; Secure"]);
  });

  it("refuses a body over 64 KB with a message the form can show", async () => {
    const port = await startWebServer();
    const reply = await send(port, "/signup", {
      body: "x".repeat(200 * 1024),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(reply.status).toBe(413);
    expect(reply.headers["content-type"]).toBe("text/plain");
    expect(reply.body).toBe(BODY_TOO_LARGE_MESSAGE);
  });

  it("answers /healthz while alive and /readyz from its dependencies, unready once draining", async () => {
    let isDatabaseUp = true;
    const health = new Health([
      {
        name: "database",
        check: async () => {
          if (!isDatabaseUp) throw new Error("connect ECONNREFUSED");
        },
      },
    ]);
    const port = await startWebServer({ health });
    expect((await send(port, "/healthz")).status).toBe(200);
    expect((await send(port, "/readyz")).status).toBe(200);
    isDatabaseUp = false;
    // Probes within a second share one round of checks.
    await waitUntil(async () => (await send(port, "/readyz")).status === 503);
    const unready = await send(port, "/readyz");
    expect(JSON.parse(unready.body)).toMatchObject({
      ready: false,
      dependencies: { database: "connect ECONNREFUSED" },
    });
    expect((await send(port, "/healthz")).status).toBe(200);
    isDatabaseUp = true;
    await waitUntil(async () => (await send(port, "/readyz")).status === 200);
    health.drain();
    expect(JSON.parse((await send(port, "/readyz")).body)).toMatchObject({ ready: false, draining: true });
  });

  it("counts requests by route, with no channel name in a label, at /metrics", async () => {
    const port = await startWebServer();
    await send(port, "/alice");
    await send(port, "/bob");
    await send(port, "/api/v1/channels/alice");
    const metrics = (await send(port, "/metrics")).body;
    expect(metrics).toContain(
      'relaycast_web_http_requests_total{route="/:channel",method="GET",status="200"} 2',
    );
    expect(metrics).toContain(
      'relaycast_web_http_requests_total{route="/api/v1/channels/:name",method="GET",status="200"} 1',
    );
    expect(metrics).toContain("relaycast_web_http_request_duration_seconds_bucket");
    expect(metrics).not.toMatch(/alice|bob/);
  });

  it("on a graceful stop, answers the requests under way, closes event streams and takes no new connection", async () => {
    const { port, closeGracefully } = await startWebServerWithStop();
    const stream = await send(port, "/api/v1/directory/events", { keepOpen: true });
    const streamEnded = new Promise((resolve) => stream.response.once("close", resolve));
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const slow = send(port, "/slow");
    await arrived;
    await closeGracefully(5_000);
    expect(await slow).toMatchObject({ status: 200, body: "answered" });
    await streamEnded;
    await expect(send(port, "/")).rejects.toThrow(/ECONNREFUSED/);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
