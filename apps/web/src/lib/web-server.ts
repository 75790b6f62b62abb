import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { resolveClientAddress, type TrustedProxies } from "@relaycast/config";
import { isChatProxyPath, type ChatProxy } from "./chat-proxy.ts";
import { errorBody, httpStatusOf } from "./app-error.ts";
import { CLIENT_IP_HEADER } from "./client-ip.ts";
import { ConnectionCaps } from "./connection-caps.ts";
import { FixedWindowLimiter } from "./fixed-window-limiter.ts";
import { BODY_TOO_LARGE_MESSAGE, MAX_BODY_BYTES } from "./form-limits.ts";
import { applySecurityHeaders, type SecurityHeaderOptions } from "./security-headers.ts";

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
  log: { error(fields: object, message: string): void };
};

/**
 * The web's HTTP server, in front of Next.js: stamps the client IP (trusted proxies only), sends
 * chat to the gateway, limits the public API per IP and open event streams per IP and in total,
 * refuses oversized bodies, and sets the security headers.
 */
export function createWebServer(options: WebServerOptions): Server {
  const { trustedProxies, chatProxy, log } = options;
  const apiLimiter = new FixedWindowLimiter(options.apiRequestsPerMinute, 60_000);
  const eventStreams = new ConnectionCaps(options.eventStreams);
  const clientIpOf = (request: IncomingMessage) =>
    resolveClientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedProxies);

  const server = createServer((request, response) => {
    const clientIp = clientIpOf(request);
    if (isChatProxyPath(request.url)) {
      chatProxy.forwardRequest(request, response, clientIp);
      return;
    }
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
      response.once("close", slot.release);
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
  return server;
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
