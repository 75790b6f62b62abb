import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { resolveClientAddress, type TrustedProxies } from "@relaycast/config";
import type { Health } from "@relaycast/logger";
import { isChatProxyPath, type ChatProxy } from "./chat-proxy.ts";
import { errorBody, httpStatusOf } from "./app-error.ts";
import { CLIENT_IP_HEADER } from "./client-ip.ts";
import { ConnectionCaps } from "./connection-caps.ts";
import { FixedWindowLimiter } from "./fixed-window-limiter.ts";
import { BODY_TOO_LARGE_MESSAGE, MAX_BODY_BYTES } from "./form-limits.ts";
import { applySecurityHeaders, type SecurityHeaderOptions } from "./security-headers.ts";
import { WebMetrics } from "./web-metrics.ts";

/** How long a refused body is read and discarded, so its sender gets the 413 rather than a reset. */
const REFUSED_BODY_DRAIN_MS = 5_000;
const API_PATH = /^\/api\/v1\//;
/** The Server-Sent Events routes: /api/v1/directory/events, /api/v1/channels/<name>/events. */
const EVENT_STREAM_PATH = /^\/api\/v1\/(?:directory|channels\/[^/?]+)\/events(?:\?|$)/;

export type WebServerOptions = {
  /** Next.js's request handler. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Upgrades that are not chat (Next's dev server hot reload). */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  chatProxy: Pick<ChatProxy, "forwardRequest" | "forwardUpgrade">;
  trustedProxies: TrustedProxies;
  apiRequestsPerMinute: number;
  eventStreams: { maxPerIp: number; maxTotal: number };
  security: SecurityHeaderOptions;
  /** Answers /healthz and /readyz; without it, they are pages like any other. */
  health?: Health;
  log: { error(fields: object, message: string): void };
};

export type WebServer = {
  server: Server;
  /**
   * A clean stop: no new connections, /readyz unready, open event streams closed (browsers
   * reconnect elsewhere); resolves when the requests under way are answered, or at the deadline.
   */
  closeGracefully(deadlineMs: number): Promise<void>;
};

/**
 * The web's HTTP server, in front of Next.js: stamps the client IP (trusted proxies only), sends
 * chat to the gateway, limits the public API per IP and open event streams per IP and in total,
 * refuses oversized bodies, and sets the security headers.
 */
export function createWebServer(options: WebServerOptions): WebServer {
  const { trustedProxies, chatProxy, health, log } = options;
  const apiLimiter = new FixedWindowLimiter(options.apiRequestsPerMinute, 60_000);
  const eventStreams = new ConnectionCaps(options.eventStreams);
  const openEventStreams = new Set<ServerResponse>();
  const metrics = new WebMetrics({ eventStreams: () => eventStreams.total });
  const clientIpOf = (request: IncomingMessage) =>
    resolveClientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedProxies);

  const server = createServer((request, response) => {
    if (health?.answer(request, response)) return;
    if (request.method === "GET" && request.url === "/metrics") return void metrics.answer(response);
    const clientIp = clientIpOf(request);
    if (isChatProxyPath(request.url)) {
      chatProxy.forwardRequest(request, response, clientIp);
      return;
    }
    metrics.observe(request, response);
    request.headers[CLIENT_IP_HEADER] = clientIp;
    applySecurityHeaders(request, response, options.security);
    if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      refuseBody(request, response);
      return;
    }
    const url = request.url ?? "/";
    if (API_PATH.test(url)) {
      const verdict = apiLimiter.consume(clientIp);
      if (!verdict.isAllowed) {
        refuse(response, "RATE_LIMITED", verdict.retryAfterSeconds, "Too many requests from your address.");
        return;
      }
    }
    if (EVENT_STREAM_PATH.test(url)) {
      const slot = eventStreams.acquire(clientIp);
      if ("refusal" in slot) {
        const isPerIp = slot.refusal === "per-ip";
        refuse(
          response,
          isPerIp ? "RATE_LIMITED" : "BUSY",
          isPerIp ? 30 : 10,
          isPerIp ? "Too many open event streams from your address." : "The server is busy.",
        );
        return;
      }
      openEventStreams.add(response);
      response.once("close", () => {
        slot.release();
        openEventStreams.delete(response);
      });
    }
    options.handle(request, response).catch((error: unknown) => {
      log.error({ err: error, url: request.url }, "request failed");
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isChatProxyPath(request.url)) chatProxy.forwardUpgrade(request, socket, head, clientIpOf(request));
    else options.upgrade(request, socket, head);
  });

  async function closeGracefully(deadlineMs: number): Promise<void> {
    health?.drain();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const stream of openEventStreams) stream.destroy();
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
    await closed;
    clearTimeout(deadline);
  }
  return { server, closeGracefully };
}

function refuse(
  response: ServerResponse,
  code: "RATE_LIMITED" | "BUSY",
  retryAfterSeconds: number,
  message: string,
) {
  response.writeHead(httpStatusOf(code), {
    "content-type": "application/json",
    "retry-after": String(retryAfterSeconds),
    "cache-control": "no-store",
  });
  response.end(JSON.stringify(errorBody(code, message)));
}

function refuseBody(request: IncomingMessage, response: ServerResponse) {
  const drainTimer = setTimeout(() => request.destroy(), REFUSED_BODY_DRAIN_MS);
  request.once("close", () => clearTimeout(drainTimer));
  request.resume();
  request.once("end", () => {
    // Exactly text/plain: Next's client then shows this text as the form action's error.
    response.writeHead(413, { "content-type": "text/plain", connection: "close" });
    response.end(BODY_TOO_LARGE_MESSAGE);
  });
}
