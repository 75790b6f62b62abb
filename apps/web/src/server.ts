import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import next from "next";
import { loadWebConfig, trustedProxySet } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger, Health } from "@relaycast/logger";
import { createStreamRegistry } from "@relaycast/media/cluster";
import { mediaPublicUrlOf } from "./lib/browsed-host.ts";
import { createChatProxy } from "./lib/chat-proxy.ts";
import { ClusterMediaOrigins } from "./lib/cluster-media-origins.ts";
import { createWebServer } from "./lib/web-server.ts";

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
  gatewayUrls: config.chatGatewayUrls,
  log: log.child({ component: "chat-proxy" }),
});

// The pages' own registry client lives in Next's module graph (features/cluster/media-nodes.ts).
const registry =
  config.cluster &&
  createStreamRegistry({ redisUrl: config.cluster.redisUrl, prefix: config.cluster.registryPrefix });
const mediaOrigins =
  registry && new ClusterMediaOrigins({ source: registry, log: log.child({ component: "media-origins" }) });
await mediaOrigins?.start();

// Readiness asks the database on a client of its own: Next's module graph keeps the pages' client.
const healthDb = createDb(config.databaseUrl);
const health = new Health([
  { name: "database", check: () => healthDb.$queryRaw`SELECT 1` },
  ...(registry ? [{ name: "registry", check: () => registry.nodes() }] : []),
]);
const { server, closeGracefully } = createWebServer({
  handle,
  upgrade: (request, socket, head) => {
    if (nextUpgrades.listenerCount("upgrade") > 0) nextUpgrades.emit("upgrade", request, socket, head);
    else socket.destroy();
  },
  chatProxy,
  trustedProxies: trustedProxySet(config.trustedProxies),
  apiRequestsPerMinute: config.apiRequestsPerMinute,
  eventStreams: config.eventStreams,
  security: {
    isHttps: config.publicUrl.startsWith("https://"),
    isDev,
    mediaOriginsFor: (host) =>
      mediaOrigins ? mediaOrigins.current() : [mediaPublicUrlOf(config.mediaPublicUrl, host)],
  },
  health,
  log,
});

server.listen(config.port, () => log.info({ port: config.port, isDev }, "web listening"));

/** Requests under way get this long to be answered after SIGTERM. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function shutdown() {
  log.info("web stopping");
  // Chat's WebSocket tunnels first: the server is not closed while an upgraded socket is open.
  await chatProxy.close();
  await closeGracefully(SHUTDOWN_DEADLINE_MS);
  await Promise.allSettled([mediaOrigins?.close().then(() => registry?.close()), healthDb.$disconnect()]);
  log.info("web stopped");
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown());
process.once("SIGINT", () => void shutdown());
