import { open, type FileHandle } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { pipeline } from "node:stream/promises";
import { resolveClientAddress, type TrustedProxies } from "@relaycast/config";
import type { Health, Logger } from "@relaycast/logger";
import { WebSocketServer } from "ws";
import { mediaNodeUrl } from "../../api/media-url.ts";
import type { TStreamStatus } from "../../api/stream-api.ts";
import type { VodFile } from "../../archive/vod-files.ts";
import type { ConnectionLimits, TConnectionRefusal } from "../../limits/connection-limits.ts";
import { listen } from "../../listen.ts";
import type { HlsAudience } from "../hls/hls-audience.ts";
import type { LiveStream } from "../live-stream.ts";
import { setCors } from "./cors.ts";
import { corkedSink } from "../corked-sink.ts";
import { wsFlvSink } from "./ws-flv-sink.ts";

const FLV_PATH = /^\/live\/([a-z0-9_]{3,25})\.flv$/;
const HLS_PATH = /^\/hls\/([a-z0-9_]{3,25})\/(index\.m3u8|seg-\d{1,10}\.ts)$/;
const THUMBNAIL_PATH = /^\/thumbnails\/([a-z0-9_]{3,25})\.jpg$/;
/** How long a request for a playlist that is being made (a channel just pulled to an edge) waits. */
const FIRST_PLAYLIST_WAIT_MS = 8_000;
const STREAM_API_PATH = /^\/api\/v1\/streams\/([a-z0-9_]{3,25})$/;
const VOD_PATH = /^\/vod\/(.+)$/;

/** Where a viewer goes instead when this edge is at capacity: a sibling's HTTP origin and RTMP URL. */
export type TRedirect = { http: string; rtmp: string };

/** The WebSocket close code that tells a player to play from the URL in the reason instead. */
export const WS_CLOSE_REDIRECT = 4302;

export type MediaHttpRoutes = {
  /** A sibling for a new viewer of this channel when this edge is full; null to serve it here. */
  redirect(name: string, protocol: "http-flv" | "ws-flv" | "hls"): TRedirect | null;
  /** The live stream viewers of this channel attach to, or null when it is not live here. */
  find(name: string): Promise<LiveStream | null>;
  /** A live channel as the stream API describes it, or null. */
  describe(name: string): TStreamStatus | null;
  list(): TStreamStatus[];
  metrics(): Promise<{ contentType: string; body: string }>;
  hlsDir(name: string): string;
  /** Where a channel's live thumbnail is kept; null when this node makes none. */
  thumbnailPath(name: string): string | null;
  hlsAudience: HlsAudience;
  /** A file of the archive (`/vod/<recording>/…`), or null; always null on a node without one. */
  vod(path: string): Promise<VodFile | null>;
};

export type MediaHttpServerOptions = {
  host: string;
  port: number;
  corsOrigin: string;
  maxConnections: number;
  limits: ConnectionLimits;
  trustedProxies: TrustedProxies;
  refused(reason: TConnectionRefusal): void;
  /** A connection was closed for what its peer sent (a broken request, a WebSocket protocol error). */
  peerError(protocol: "http" | "ws-flv", code: string): void;
  routes: MediaHttpRoutes;
  /** Answers /healthz and /readyz. */
  health?: Health;
  log: Logger;
};

/** The media node's HTTP port: HTTP-FLV, WS-FLV, HLS files, thumbnails, the stream API and /metrics. */
export class MediaHttpServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 4096 });
  private readonly log: Logger;

  constructor(private readonly options: MediaHttpServerOptions) {
    this.log = options.log.child({ component: "media-http" });
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.log.error({ err: error, url: request.url }, "request failed");
        options.peerError("http", "INTERNAL");
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
    });
    this.server.maxConnections = options.maxConnections;
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 10_000;
    this.server.on("upgrade", (request, socket, head) => {
      this.upgrade(request, socket, head).catch((error: unknown) => {
        this.log.error({ err: error, url: request.url }, "upgrade failed");
        options.peerError("ws-flv", "INTERNAL");
        socket.destroy();
      });
    });
    this.server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
      options.peerError("http", error.code ?? "HTTP_PARSE");
      socket.destroy();
    });
    this.server.on("connection", (socket) => {
      const release = options.limits.take(socket.remoteAddress);
      if (!release) {
        socket.destroy();
        return options.refused("per-client");
      }
      socket.once("close", release);
    });
  }

  async start(): Promise<void> {
    await listen(this.server, this.options.host, this.options.port);
    this.log.info({ host: this.options.host, port: this.options.port }, "media http listening");
  }

  /** The port actually bound (differs from the option when that was 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : this.options.port;
  }

  /** Takes a connection handed over instead of accepted (a socket passed in, the fuzzer's streams). */
  accept(socket: Duplex): void {
    this.server.emit("connection", socket);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.options.health?.answer(request, response)) return;
    setCors(response, this.options.corsOrigin);
    if (request.method === "OPTIONS") return void response.writeHead(204).end();
    if (request.method !== "GET" && request.method !== "HEAD") {
      return void response.writeHead(405, { allow: "GET, HEAD, OPTIONS" }).end();
    }
    const path = pathOf(request);
    const { routes } = this.options;
    let match: RegExpExecArray | null;
    if ((match = FLV_PATH.exec(path))) return this.playHttpFlv(match[1]!, request, response);
    if ((match = HLS_PATH.exec(path))) return this.serveHls(match[1]!, match[2]!, request, response);
    if ((match = THUMBNAIL_PATH.exec(path))) return this.serveThumbnail(match[1]!, request, response);
    if ((match = VOD_PATH.exec(path))) return this.serveVod(match[1]!, request, response);
    if ((match = STREAM_API_PATH.exec(path))) {
      const status = routes.describe(match[1]!);
      return status ? sendJson(response, 200, status) : sendJson(response, 404, { error: "not live" });
    }
    if (path === "/api/v1/streams") return sendJson(response, 200, { streams: routes.list() });
    if (path === "/metrics") {
      const { contentType, body } = await routes.metrics();
      return void response.writeHead(200, { "content-type": contentType }).end(body);
    }
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found.\n");
  }

  private async playHttpFlv(name: string, request: IncomingMessage, response: ServerResponse) {
    const redirect = this.options.routes.redirect(name, "http-flv");
    if (redirect) return redirectTo(response, redirect, request);
    const stream = await this.options.routes.find(name);
    if (response.destroyed) return;
    if (!stream)
      return void response.writeHead(404, { "content-type": "text/plain" }).end(`${name} is not live.\n`);
    response.writeHead(200, { "content-type": "video/x-flv", "cache-control": "no-store" });
    if (request.method === "HEAD") return void response.end();
    request.socket.setNoDelay(true);
    const viewer = stream.addViewer("http-flv", "flv", corkedSink(response));
    response.once("close", () => {
      stream.removeViewer(viewer);
      viewer.close("stream-ended");
    });
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => socket.destroy());
    const match = FLV_PATH.exec(pathOf(request));
    const redirect = match ? this.options.routes.redirect(match[1]!, "ws-flv") : null;
    if (redirect) {
      // A WebSocket cannot follow an HTTP redirect: the player is told where to go on a close code.
      const target = mediaNodeUrl(redirect.http, request.url ?? "/", { webSocket: true });
      return this.wss.handleUpgrade(request, socket, head, (ws) => ws.close(WS_CLOSE_REDIRECT, target));
    }
    const stream = match ? await this.options.routes.find(match[1]!) : null;
    if (socket.destroyed) return;
    if (!stream) {
      socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const viewer = stream.addViewer("ws-flv", "flv", wsFlvSink(ws, socket));
      // Players only read; a peer that sends media here is trying to publish, which this port does not take.
      ws.on("message", () => ws.close(1003, "this endpoint only plays"));
      ws.on("error", (error: NodeJS.ErrnoException) => {
        this.options.peerError("ws-flv", error.code ?? "WS_PROTOCOL");
        ws.terminate();
      });
      ws.once("close", () => {
        stream.removeViewer(viewer);
        viewer.close("stream-ended");
      });
    });
  }

  private async serveHls(name: string, file: string, request: IncomingMessage, response: ServerResponse) {
    // A new HLS viewer starts at the playlist; one already watching here keeps its segments here.
    const redirect = file === "index.m3u8" ? this.options.routes.redirect(name, "hls") : null;
    if (redirect) return redirectTo(response, redirect, request);
    const path = join(this.options.routes.hlsDir(name), file);
    let opened = await openFile(path);
    // On an edge, the first request for a channel starts its upstream and its HLS packager: the
    // playlist is there once the first segment is, which the player waits for rather than failing.
    if (!opened && file === "index.m3u8" && (await this.options.routes.find(name))) {
      const deadline = Date.now() + FIRST_PLAYLIST_WAIT_MS;
      while (!opened && Date.now() < deadline && !response.destroyed) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        opened = await openFile(path);
      }
    }
    if (!opened) return notFound(response);
    const isPlaylist = file.endsWith(".m3u8");
    if (isPlaylist) {
      const { remoteAddress } = request.socket;
      const forwardedFor = request.headers["x-forwarded-for"];
      const viewer = resolveClientAddress(remoteAddress, forwardedFor, this.options.trustedProxies);
      this.options.routes.hlsAudience.seen(name, viewer);
    }
    sendFile(request, response, opened, {
      "content-type": isPlaylist ? "application/vnd.apple.mpegurl" : "video/mp2t",
      "cache-control": isPlaylist ? "no-cache" : "public, max-age=60",
    });
  }

  private async serveVod(path: string, request: IncomingMessage, response: ServerResponse) {
    const file = await this.options.routes.vod(path);
    if (!file) return notFound(response);
    if ("text" in file) {
      const body = Buffer.from(file.text);
      response.writeHead(200, { ...vodHeaders(file), "content-length": body.length });
      return void response.end(request.method === "HEAD" ? undefined : body);
    }
    response.writeHead(200, { ...vodHeaders(file), "content-length": file.size });
    if (request.method === "HEAD") {
      file.stream.destroy();
      return void response.end();
    }
    pipeline(file.stream, response).catch(() => {});
  }

  /** A live channel's latest thumbnail; a file left from an ended broadcast is not served. */
  private async serveThumbnail(name: string, request: IncomingMessage, response: ServerResponse) {
    const path = this.options.routes.describe(name) ? this.options.routes.thumbnailPath(name) : null;
    const opened = path ? await openFile(path) : null;
    if (!opened) return notFound(response);
    sendFile(request, response, opened, { "content-type": "image/jpeg", "cache-control": "no-cache" });
  }
}

type OpenedFile = { handle: FileHandle; size: number };

/**
 * Recorded broadcasts: segments never change once written (cached a day), playlists change while a
 * broadcast is recorded (EVENT, rewind while live) and once when it becomes a video.
 */
function vodHeaders(file: VodFile): Record<string, string> {
  const isPlaylist = "text" in file;
  return {
    "content-type": file.contentType,
    "cache-control": isPlaylist ? "no-cache" : "public, max-age=86400",
  };
}

/**
 * A regular file, opened, or null. Its size is read from the open file, so a file replaced meanwhile
 * (a new thumbnail, a rewritten playlist) is sent whole, the old one or the new.
 */
async function openFile(path: string): Promise<OpenedFile | null> {
  const handle = await open(path).catch(() => null);
  const info = await handle?.stat().catch(() => null);
  if (!handle || !info?.isFile()) {
    await handle?.close();
    return null;
  }
  return { handle, size: info.size };
}

/** Sends an opened file and closes it, also when the client goes away first. */
function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  { handle, size }: OpenedFile,
  headers: Record<string, string>,
): void {
  response.writeHead(200, { ...headers, "content-length": size });
  if (request.method === "HEAD") {
    response.end();
    handle.close().catch(() => {});
    return;
  }
  pipeline(handle.createReadStream(), response).catch(() => {});
}

function redirectTo(response: ServerResponse, redirect: TRedirect, request: IncomingMessage): void {
  const location = mediaNodeUrl(redirect.http, request.url ?? "/");
  response.writeHead(302, { location, "cache-control": "no-store" }).end();
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { "content-type": "text/plain" }).end("Not found.\n");
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? "/";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(JSON.stringify(body));
}
