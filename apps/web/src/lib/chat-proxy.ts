import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createHash } from "node:crypto";
import { connect } from "node:net";
import type { Duplex } from "node:stream";

/** socket.io's path: the browser reaches the chat gateway through the web origin under it. */
export const CHAT_PROXY_PATH = "/socket.io/";

/** A long-poll is answered at least every ping interval (25 s); longer silence means the gateway hung. */
const UPSTREAM_IDLE_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** While the gateway is down every poll fails; say so in the log at most this often. */
const UNREACHABLE_LOG_INTERVAL_MS = 10_000;

/** Headers that describe one connection, not the request, and so are not forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export type ChatProxyOptions = {
  /** The gateways' origins, http://host:port: each client address is kept on one of them. */
  gatewayUrls: string[];
  log: { warn(fields: object, message: string): void };
};

export type ChatProxy = {
  /** Forwards a long-polling request; answers 502 when the gateway cannot be reached. */
  forwardRequest(request: IncomingMessage, response: ServerResponse, clientIp: string): void;
  /** Forwards a WebSocket upgrade as raw bytes both ways; destroys the socket when the gateway fails. */
  forwardUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, clientIp: string): void;
  /** Cuts every open WebSocket tunnel (the HTTP server's close does not see upgraded sockets). */
  close(): Promise<void>;
};

export function isChatProxyPath(url: string | undefined): boolean {
  return url?.startsWith(CHAT_PROXY_PATH) ?? false;
}

export function createChatProxy({ gatewayUrls, log }: ChatProxyOptions): ChatProxy {
  const gateways = gatewayUrls.map((gatewayUrl) => {
    const target = new URL(gatewayUrl);
    return { gatewayUrl, host: target.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(target.port || 80) };
  });
  /**
   * A socket.io session lives on one gateway (its long-polls and its upgrade must reach the same
   * one), so a client is kept on one by its address.
   */
  const gatewayFor = (clientIp: string) =>
    gateways[createHash("sha1").update(clientIp).digest().readUInt32BE(0) % gateways.length]!;
  let lastUnreachableLogAt = 0;
  const tunnels = new Set<Duplex>();

  function logUnreachable(error: NodeJS.ErrnoException, gatewayUrl: string) {
    const now = Date.now();
    if (now - lastUnreachableLogAt < UNREACHABLE_LOG_INTERVAL_MS) return;
    lastUnreachableLogAt = now;
    log.warn({ code: error.code, err: error, gatewayUrl }, "chat gateway unreachable");
  }

  function forwardRequest(request: IncomingMessage, response: ServerResponse, clientIp: string) {
    const { host, port, gatewayUrl } = gatewayFor(clientIp);
    const upstream = httpRequest(
      {
        host,
        port,
        method: request.method,
        path: request.url,
        headers: forwardedHeaders(request.headers, clientIp),
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, withoutHopByHop(upstreamResponse.headers));
        upstreamResponse.pipe(response);
        upstreamResponse.once("error", () => response.destroy());
      },
    );
    upstream.setTimeout(UPSTREAM_IDLE_MS, () => upstream.destroy(new Error("chat gateway timed out")));
    let isClientGone = false;
    upstream.once("error", (error: NodeJS.ErrnoException) => {
      if (isClientGone) return;
      logUnreachable(error, gatewayUrl);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      response.writeHead(502, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      response.end("Chat is unavailable.\n");
    });
    // The browser went away before the gateway answered (a closed tab, a cancelled poll).
    const dropUpstream = () => {
      if (response.writableFinished) return;
      isClientGone = true;
      upstream.destroy();
    };
    request.once("error", dropUpstream);
    response.once("close", dropUpstream);
    request.pipe(upstream);
  }

  function forwardUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, clientIp: string) {
    const { host, port, gatewayUrl } = gatewayFor(clientIp);
    const upstream = connect({ host, port });
    const connectTimer = setTimeout(
      () => upstream.destroy(new Error("chat gateway connect timed out")),
      CONNECT_TIMEOUT_MS,
    );
    tunnels.add(socket);
    const closeBoth = () => {
      clearTimeout(connectTimer);
      tunnels.delete(socket);
      socket.destroy();
      upstream.destroy();
    };
    upstream.once("error", (error: NodeJS.ErrnoException) => {
      logUnreachable(error, gatewayUrl);
      closeBoth();
    });
    socket.once("error", closeBoth);
    upstream.once("close", closeBoth);
    socket.once("close", closeBoth);
    upstream.once("connect", () => {
      clearTimeout(connectTimer);
      upstream.setNoDelay(true);
      upstream.write(requestHead(request, clientIp));
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  }

  async function close() {
    for (const socket of tunnels) socket.destroy();
    tunnels.clear();
  }

  return { forwardRequest, forwardUpgrade, close };
}

/**
 * Request headers the gateway never gets: the site's cookies (the session among them; the gateway
 * knows viewers by their chat token) and the client's own X-Forwarded-For (replaced by its address).
 */
const NOT_FORWARDED = new Set(["cookie", "x-forwarded-for"]);

/** The client's headers minus hop-by-hop ones and cookies, X-Forwarded-For set to the resolved client IP. */
export function forwardedHeaders(headers: IncomingHttpHeaders, clientIp: string): IncomingHttpHeaders {
  const forwarded = Object.fromEntries(
    Object.entries(withoutHopByHop(headers)).filter(([name]) => !NOT_FORWARDED.has(name)),
  );
  forwarded["x-forwarded-for"] = clientIp;
  return forwarded;
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase()),
  );
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)),
  );
}

/**
 * The upgrade request as bytes for the gateway: the client's own request line and headers (they
 * came through Node's parser, so they hold no stray CR/LF), without cookies, X-Forwarded-For replaced.
 */
export function requestHead(
  request: Pick<IncomingMessage, "method" | "url" | "rawHeaders">,
  clientIp: string,
) {
  const lines = [`${request.method} ${request.url} HTTP/1.1`];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!;
    if (NOT_FORWARDED.has(name.toLowerCase())) continue;
    lines.push(`${name}: ${request.rawHeaders[index + 1]}`);
  }
  lines.push(`X-Forwarded-For: ${clientIp}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}
