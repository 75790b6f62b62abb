import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { deriveIrcCredentials, IrcdProcess, ircdProcessOptions } from "@relaycast/chat/ircd";
import { loadIrcdConfig } from "@relaycast/config";
import { enableIrcDatabaseRole } from "@relaycast/db/migrations";
import { createLogger, Health, runService } from "@relaycast/logger";
import { Counter, Gauge, Registry } from "prom-client";

/**
 * One InspIRCd server of a linked network, on its own (compose, Kubernetes): its config is
 * rendered from IRC_* variables, the server is supervised (restarted when it dies), and
 * /healthz, /readyz and /metrics are served on IRC_HEALTH_PORT.
 */
const config = loadIrcdConfig(process.env);
const log = createLogger({ name: "ircd", level: config.logLevel });
process.umask(0o077);
const dataDir = resolve(config.dataDir);
const credentials = deriveIrcCredentials(config.secret);
let ircd: IrcdProcess | undefined;

const health = new Health([
  {
    name: "ircd",
    check: async () => {
      if (!(await ircd?.isServing())) throw new Error("InspIRCd is not serving its gateway port");
    },
  },
]);
const metrics = new Registry();
new Gauge({
  name: "relaycast_ircd_up",
  help: "1 while InspIRCd runs, 0 while it is down or restarting",
  registers: [metrics],
  collect() {
    this.set(ircd?.pid === undefined ? 0 : 1);
  },
});
new Counter({
  name: "relaycast_ircd_restarts_total",
  help: "Times InspIRCd died and was started again",
  registers: [metrics],
  collect() {
    this.reset();
    this.inc(ircd?.restarts ?? 0);
  },
});
const httpServer = createServer((request, response) => {
  if (health.answer(request, response)) return;
  if (request.method === "GET" && request.url === "/metrics") {
    void metrics
      .metrics()
      .then((body) => response.writeHead(200, { "content-type": metrics.contentType }).end(body));
    return;
  }
  response.writeHead(404).end();
});

await runService({
  name: "ircd",
  log,
  start: async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // sqlauth logs in with the restricted role of the irc_role migration, where there is one.
    const databaseUrl =
      (await enableIrcDatabaseRole({
        databaseUrl: config.databaseUrl,
        password: credentials.databasePassword,
      })) ?? config.databaseUrl;
    ircd = new IrcdProcess(
      ircdProcessOptions(config, {
        dir: join(dataDir, "irc"),
        baseDir: process.cwd(),
        credentials,
        databaseUrl,
        log,
      }),
    );
    await new Promise<void>((listening, failed) => {
      httpServer.once("error", failed);
      httpServer.listen(config.health.port, config.health.host, listening);
    });
    await ircd.start();
    log.info(
      {
        serverName: config.serverName,
        peers: config.peers.map((peer) => peer.name),
        health: config.health.port,
      },
      "ircd running",
    );
  },
  stop: async () => {
    health.drain();
    await ircd?.close();
    await new Promise((closed) => httpServer.close(closed));
  },
});
