import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  deriveIrcCredentials,
  IrcdProcess,
  IrcdStartError,
  type IrcdStartErrorCode,
} from "@relaycast/chat/ircd";
import { ConfigError, loadLauncherConfig } from "@relaycast/config";
import { startEmbeddedPostgres } from "@relaycast/db/embedded";
import { applyMigrations, enableIrcDatabaseRole } from "@relaycast/db/migrations";
import { createLogger, type Logger } from "@relaycast/logger";
import { loadOrCreateSecret } from "./load-or-create-secret.ts";
import { SupervisedProcess } from "./supervised-process.ts";

/**
 * `npm start`: the whole platform on one machine. Brings up the database (embedded PGlite unless
 * DATABASE_URL is set), migrates it, starts InspIRCd, then runs and supervises each service;
 * Ctrl-C stops them all.
 */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const isDev = process.argv.includes("--dev");
/** What to do when InspIRCd cannot start, by IrcdStartError code. */
const IRCD_FIXES: Partial<Record<IrcdStartErrorCode, string>> = {
  NOT_INSTALLED: "Debian/Ubuntu: apt-get install inspircd inspircd-dev g++ (or set INSPIRCD_PATH)",
  PORT_IN_USE: "stop what holds the port, or set IRC_PORT, IRC_TLS_PORT, IRC_GATEWAY_PORT or IRC_SERVER_PORT",
};

async function main() {
  const config = loadLauncherConfig(process.env);
  const log = createLogger({ name: "launcher", level: config.logLevel });
  const dataDir = resolve(REPO_ROOT, config.dataDir);
  await mkdir(dataDir, { recursive: true });

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

  const ircSecret = config.irc.secret ?? (await loadOrCreateSecret(dataDir, "irc-secret"));
  const ircCredentials = deriveIrcCredentials(ircSecret);
  // On PostgreSQL, sqlauth logs in with the restricted role of the irc_role migration; PGlite has
  // one user, so the embedded database keeps its URL (README, Security).
  const ircDatabaseUrl = config.databaseUrl
    ? ((await enableIrcDatabaseRole({ databaseUrl, password: ircCredentials.databasePassword })) ??
      databaseUrl)
    : databaseUrl;
  const ircd = new IrcdProcess({
    dir: resolve(dataDir, "irc"),
    tls: config.irc.tls && {
      certFile: resolve(REPO_ROOT, config.irc.tls.certFile),
      keyFile: resolve(REPO_ROOT, config.irc.tls.keyFile),
    },
    config: {
      credentials: ircCredentials,
      databaseUrl: ircDatabaseUrl,
      publicPort: config.irc.publicPort,
      tlsPort: config.irc.tlsPort,
      gatewayPort: config.irc.gatewayPort,
      serverPort: config.irc.serverPort,
      bindHost: config.irc.bindHost,
    },
    binaryPath: config.irc.binaryPath,
    log,
  });

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    WEB_PORT: String(config.webPort),
    WEB_AUTH_SECRET: config.authSecret ?? (await loadOrCreateSecret(dataDir, "auth-secret")),
    WEB_CHAT_GATEWAY_URL: `http://${connectHost(config.chat.host)}:${config.chat.port}`,
    WEB_IRC_PORT: String(config.irc.publicPort),
    WEB_IRC_TLS_PORT: String(config.irc.tlsPort),
    NODE_ENV: isDev ? "development" : "production",
  };
  const chatEnv = {
    ...env,
    CHAT_HOST: config.chat.host,
    CHAT_PORT: String(config.chat.port),
    // The gateway port of the InspIRCd above, which binds it and accepts WEBIRC on loopback only.
    IRC_HOST: "127.0.0.1",
    IRC_GATEWAY_PORT: String(config.irc.gatewayPort),
    IRC_SECRET: ircSecret,
  };
  const tsx = resolve(REPO_ROOT, "node_modules/.bin/tsx");
  const services = [
    new SupervisedProcess({
      name: "media",
      command: tsx,
      args: ["src/main.ts"],
      cwd: resolve(REPO_ROOT, "apps/media"),
      env,
      log,
    }),
    new SupervisedProcess({
      name: "chat",
      command: tsx,
      args: ["src/main.ts"],
      cwd: resolve(REPO_ROOT, "apps/chat"),
      env: chatEnv,
      log,
    }),
    new SupervisedProcess({
      name: "web",
      command: tsx,
      args: ["src/server.ts", ...(isDev ? ["--dev"] : [])],
      cwd: resolve(REPO_ROOT, "apps/web"),
      env,
      log,
    }),
  ];

  let isStopping = false;
  let ircdStarting: Promise<void> = Promise.resolve();
  async function stop(signal: string) {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal }, "stopping");
    // InspIRCd closes together with the services: a Ctrl-C in the terminal reaches it too, and a
    // closed IrcdProcess does not restart it. A start still under way is finished first.
    const closeIrcd = ircdStarting.then(() => ircd.close());
    await Promise.all([...services.map((service) => service.close()), closeIrcd]);
    await embedded?.close();
    log.info("stopped");
    process.exit(0);
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  ircdStarting = startIrcd(ircd, log, () => isStopping);
  await ircdStarting;
  if (isStopping) return;
  for (const service of services) service.start();
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

/** An address to reach a listener on: a wildcard bind is reached on loopback. */
function connectHost(host: string): string {
  if (host === "0.0.0.0" || host === "*") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`relaycast: ${message}\n`);
  process.exit(1);
});
