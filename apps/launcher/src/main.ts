import { chmod, mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  deriveIrcCredentials,
  ensureTlsCertificate,
  IrcdProcess,
  ircdProcessOptions,
  IrcdStartError,
  type IrcdStartErrorCode,
} from "@relaycast/chat/ircd";
import { ConfigError, loadLauncherConfig, type TLauncherConfig, type TService } from "@relaycast/config";
import { startEmbeddedPostgres } from "@relaycast/db/embedded";
import { applyMigrations, enableIrcDatabaseRole } from "@relaycast/db/migrations";
import { createLogger, type Logger } from "@relaycast/logger";
import { findBusyPorts } from "./busy-ports.ts";
import { loadOrCreateSecret } from "./load-or-create-secret.ts";
import {
  describeLocalIrc,
  describeLocalNode,
  LOCAL_CLUSTER,
  localClusterNodeEnv,
  localIrcNetwork,
} from "./local-cluster.ts";
import { localRedis } from "./local-redis.ts";
import { parentDeathSignalPrefix } from "./parent-death-signal.ts";
import { LeftoverError, RunFile } from "./run-file.ts";
import { serviceEnvs } from "./service-env.ts";
import { SupervisedProcess } from "./supervised-process.ts";

/**
 * `npm start`: the whole platform on one machine. Brings up the database (embedded PGlite unless
 * DATABASE_URL is set), migrates it, starts InspIRCd, then runs and supervises each service;
 * Ctrl-C stops them all. `npm run cluster:local` (`--cluster`) runs the media service as a cluster
 * instead: a Redis registry, two origins and two edges, each a process of its own.
 */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const isDev = process.argv.includes("--dev");
const isCluster = process.argv.includes("--cluster");
/** What to do when InspIRCd cannot start, by IrcdStartError code. */
const IRCD_FIXES: Partial<Record<IrcdStartErrorCode, string>> = {
  NOT_INSTALLED: "Debian/Ubuntu: apt-get install inspircd inspircd-dev g++ (or set INSPIRCD_PATH)",
  PORT_IN_USE: "stop what holds the port, or set IRC_PORT, IRC_TLS_PORT, IRC_GATEWAY_PORT or IRC_SERVER_PORT",
};

async function main() {
  // Everything the launcher and its services write (database, secrets, segments) is the owner's only.
  process.umask(0o077);
  const config = loadLauncherConfig(process.env);
  const log = createLogger({ name: "launcher", level: config.logLevel });
  const dataDir = resolve(REPO_ROOT, config.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // A folder made by an earlier version (0755) is closed too: nothing under it is reachable by others.
  await chmod(dataDir, 0o700);
  const runFile = await RunFile.claim(dataDir);
  if (runFile.foundStaleFile) log.warn("the last run did not stop cleanly; nothing of it is left running");
  await assertPortsFree(config, isCluster);

  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({
        dataDir: resolve(dataDir, "postgres"),
        host: "127.0.0.1",
        port: config.embeddedDbPort,
      });
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  if (embedded) log.info({ port: config.embeddedDbPort }, "embedded database started");

  const { applied } = await applyMigrations({
    databaseUrl,
    migrationsDir: resolve(REPO_ROOT, "prisma/migrations"),
  });
  log.info({ applied }, "database migrated");

  // Every child (InspIRCd, each service) is sent SIGTERM when the launcher dies, kill -9 included.
  const deathSignal = await parentDeathSignalPrefix();
  if (!deathSignal) log.warn("setpriv not found: services outlive a launcher that is killed with SIGKILL");
  const ircSecret = config.irc.secret ?? (await loadOrCreateSecret(dataDir, "irc-secret"));
  const ircCredentials = deriveIrcCredentials(ircSecret);
  // On PostgreSQL, sqlauth logs in with the restricted role of the irc_role migration; PGlite has
  // one user, so the embedded database keeps its URL (README, Security).
  const ircDatabaseUrl = config.databaseUrl
    ? ((await enableIrcDatabaseRole({ databaseUrl, password: ircCredentials.databasePassword })) ??
      databaseUrl)
    : databaseUrl;
  // One IRC server; the local cluster runs a second, linked to it, as compose does.
  const ircServers = isCluster ? localIrcNetwork(config.irc) : [config.irc];
  // A chat gateway per IRC server: the first on CHAT_PORT, the next ones after it.
  const chatPorts = ircServers.map((_, index) => config.chat.port + index);
  const ircds = ircServers.map(
    (server, index) =>
      new IrcdProcess(
        ircdProcessOptions(server, {
          dir: resolve(dataDir, index === 0 ? "irc" : `irc${index + 1}`),
          baseDir: REPO_ROOT,
          credentials: ircCredentials,
          databaseUrl: ircDatabaseUrl,
          launchPrefix: deathSignal,
          log: index === 0 ? log : log.child({ ircServer: server.serverName }),
        }),
      ),
  );

  const clusterSecret =
    config.passThrough.media.CLUSTER_SECRET ?? (await loadOrCreateSecret(dataDir, "cluster-secret"));
  const redis = isCluster
    ? await localRedis({ configuredUrl: config.passThrough.media.REDIS_URL, launchPrefix: deathSignal })
    : null;
  const envs = serviceEnvs({
    config,
    databaseUrl,
    dataDir,
    authSecret: config.authSecret ?? (await loadOrCreateSecret(dataDir, "auth-secret")),
    ircSecret,
    clusterSecret,
    chatGatewayPorts: chatPorts,
    isDev,
  });
  // One node process per service, no tsx wrapper in between.
  const [command = process.execPath, ...prefixArgs] = [...(deathSignal ?? []), process.execPath];
  const service = (
    name: string,
    app: TService,
    script: string,
    env: Record<string, string>,
    extraArgs: string[] = [],
  ) =>
    new SupervisedProcess({
      name,
      command,
      args: [...prefixArgs, "--import", "tsx", script, ...extraArgs],
      cwd: resolve(REPO_ROOT, "apps", app),
      env,
      log,
      started: (pid) =>
        void runFile
          .recordService(name, pid)
          .catch((error: unknown) => log.error({ err: error }, "could not write the run file")),
    });
  // RTMPS ingest, with the operator's certificate or one made for this machine.
  const rtmps = config.passThrough.media.MEDIA_RTMPS_CERT_FILE
    ? {}
    : await ensureTlsCertificate({ dir: resolve(dataDir, "media-tls"), commonName: "localhost" }).then(
        ({ certFile, keyFile }) => ({ MEDIA_RTMPS_CERT_FILE: certFile, MEDIA_RTMPS_KEY_FILE: keyFile }),
        (error: unknown) => {
          log.warn({ reason: (error as Error).message }, "no certificate for RTMPS: RTMPS ingest is off");
          return {};
        },
      );
  const withRedis = (env: Record<string, string>) => (redis ? { ...env, REDIS_URL: redis.url } : env);
  const mediaServices = redis
    ? LOCAL_CLUSTER.map((node) =>
        service(node.id, "media", "src/main.ts", {
          ...envs.media,
          ...localClusterNodeEnv(node, { dataDir, redisUrl: redis.url, clusterSecret, rtmps }),
        }),
      )
    : [
        service("media", "media", "src/main.ts", {
          ...envs.media,
          ...rtmps,
          MEDIA_RTMPS_PORT: String(config.media.rtmpsPort),
        }),
      ];
  const services = [
    ...mediaServices,
    ...ircServers.map((server, index) =>
      service(index === 0 ? "chat" : `chat-${index + 1}`, "chat", "src/main.ts", {
        ...withRedis(envs.chat),
        CHAT_PORT: String(chatPorts[index]),
        IRC_GATEWAY_PORT: String(server.gatewayPort),
      }),
    ),
    service("web", "web", "src/server.ts", withRedis(envs.web), isDev ? ["--dev"] : []),
  ];

  let isStopping = false;
  let ircdStarting: Promise<void> = Promise.resolve();
  async function stop(signal: string) {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal }, "stopping");
    // InspIRCd closes together with the services: a Ctrl-C in the terminal reaches it too, and a
    // closed IrcdProcess does not restart it. A start still under way is finished first.
    const closeIrcds = ircdStarting.then(() => Promise.all(ircds.map((ircd) => ircd.close())));
    await Promise.all([...services.map((service) => service.close()), closeIrcds]);
    await embedded?.close();
    await redis?.close();
    await runFile.release();
    log.info("stopped");
    process.exit(0);
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  ircdStarting = Promise.all(ircds.map((ircd) => startIrcd(ircd, log, () => isStopping))).then(() => {});
  await ircdStarting;
  if (isStopping) return;
  for (const service of services) service.start();
  if (redis) {
    process.stdout.write(`Local cluster (registry ${redis.url}):\n`);
    for (const node of LOCAL_CLUSTER) process.stdout.write(`  ${describeLocalNode(node)}\n`);
    for (const [index, server] of ircServers.entries())
      process.stdout.write(`  ${describeLocalIrc(server, chatPorts[index]!)}\n`);
  }
  log.info({ url: `http://localhost:${config.webPort}` }, "Relaycast is starting; open the web site");
}

/**
 * Starts InspIRCd; if it cannot start, says why once and lets the platform run without it (the
 * chat panel shows that chat is reconnecting). IrcdProcess restarts a server that dies later.
 */
async function startIrcd(ircd: IrcdProcess, log: Logger, isStopping: () => boolean): Promise<void> {
  try {
    await ircd.start();
  } catch (error) {
    if (isStopping()) return;
    const fix = error instanceof IrcdStartError ? IRCD_FIXES[error.code] : undefined;
    log.error(
      {
        reason: error instanceof Error ? error.message : String(error),
        ...(fix && { fix }),
        ...(!(error instanceof IrcdStartError) && { err: error }),
      },
      "IRC server could not start; chat is unavailable until this is fixed and Relaycast restarted",
    );
  }
}

/**
 * Refuses to start while a port the services need is taken (a Relaycast still running, or a service
 * a killed one left): says which, once, rather than letting the services restart forever. The IRC
 * ports are InspIRCd's own check, which also stops an InspIRCd left by a killed launcher.
 */
async function assertPortsFree(config: TLauncherConfig, isCluster: boolean): Promise<void> {
  const mediaPorts: Array<[string, number]> = isCluster
    ? LOCAL_CLUSTER.flatMap((node): Array<[string, number]> => [
        [`${node.id} RTMP`, node.rtmpPort],
        [`${node.id} HTTP`, node.httpPort],
        [`${node.id} relay`, node.relayPort],
        ...(node.rtmpsPort ? [[`${node.id} RTMPS`, node.rtmpsPort] as [string, number]] : []),
      ])
    : [
        ["MEDIA_RTMP_PORT", config.media.rtmpPort],
        ["MEDIA_HTTP_PORT", config.media.httpPort],
        ["MEDIA_RTMPS_PORT", config.media.rtmpsPort],
      ];
  const busy = await findBusyPorts([
    ["WEB_PORT", config.webPort],
    ["CHAT_PORT", config.chat.port],
    ...(isCluster ? [["second chat gateway (CHAT_PORT + 1)", config.chat.port + 1] as [string, number]] : []),
    ...mediaPorts,
    ...(config.databaseUrl ? [] : [["EMBEDDED_DB_PORT", config.embeddedDbPort] as [string, number]]),
  ]);
  if (busy.length === 0) return;
  throw new LeftoverError(
    `Cannot start: ${busy.map(([name, port]) => `port ${port} (${name})`).join(", ")} ${busy.length > 1 ? "are" : "is"} in use. Is Relaycast, or one of its services, still running? Stop it, or set ${busy.map(([name]) => name).join(", ")} to free ports.`,
  );
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof LeftoverError
      ? error.message
      : error instanceof Error
        ? error.stack
        : String(error);
  process.stderr.write(`relaycast: ${message}\n`);
  process.exit(1);
});
