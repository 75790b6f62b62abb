import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import next from "next";
import { loadWebConfig } from "@relaycast/config";
import { createLogger } from "@relaycast/logger";
import { createChatProxy, isChatProxyPath } from "./lib/chat-proxy.ts";
import { CLIENT_IP_HEADER, resolveClientIp } from "./lib/client-ip.ts";

/** Bodies larger than this are refused before any route sees them (forms are a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;
/** How long a refused body is read and discarded, so its sender gets the 413 rather than a reset. */
const REFUSED_BODY_DRAIN_MS = 5_000;

const config = loadWebConfig(process.env);
const log = createLogger({ name: "web", level: config.logLevel }).child({ component: "http" });
const isDev = process.argv.includes("--dev");

// Next attaches its own upgrade listener (dev HMR) to the server it is given, on its first request.
// It gets a server that never listens, and only the upgrades that are not chat are passed on to it.
const nextUpgrades = createServer();
const app = next({
  dev: isDev,
  dir: fileURLToPath(new URL("..", import.meta.url)),
  port: config.port,
  httpServer: nextUpgrades,
});
const handle = app.getRequestHandler();
await app.prepare();

const chatProxy = createChatProxy({
  gatewayUrl: config.chatGatewayUrl,
  log: log.child({ component: "chat-proxy" }),
});

const server = createServer((request, response) => {
  const clientIp = resolveClientIp(request, config.trustProxy);
  if (isChatProxyPath(request.url)) {
    chatProxy.forwardRequest(request, response, clientIp);
    return;
  }
  request.headers[CLIENT_IP_HEADER] = clientIp;
  const declaredLength = Number(request.headers["content-length"] ?? 0);
  if (declaredLength > MAX_BODY_BYTES) {
    refuseBody(request, response);
    return;
  }
  handle(request, response).catch((error: unknown) => {
    log.error({ err: error, url: request.url }, "request failed");
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});

server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  if (isChatProxyPath(request.url)) {
    chatProxy.forwardUpgrade(request, socket, head, resolveClientIp(request, config.trustProxy));
  } else if (nextUpgrades.listenerCount("upgrade") > 0) {
    nextUpgrades.emit("upgrade", request, socket, head);
  } else {
    socket.destroy();
  }
});

function refuseBody(request: IncomingMessage, response: ServerResponse) {
  const drainTimer = setTimeout(() => request.destroy(), REFUSED_BODY_DRAIN_MS);
  request.once("close", () => clearTimeout(drainTimer));
  request.resume();
  request.once("end", () => {
    response.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    response.end("Request body too large.\n");
  });
}

server.listen(config.port, () => log.info({ port: config.port, isDev }, "web listening"));

function shutdown() {
  log.info("web stopping");
  server.close(() => process.exit(0));
  server.closeAllConnections();
  void chatProxy.close();
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
