import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadLauncherConfig } from "@relaycast/config";
import { startEmbeddedPostgres } from "@relaycast/db/embedded";
import { applyMigrations } from "@relaycast/db/migrations";
import { createLogger } from "@relaycast/logger";
import { loadOrCreateAuthSecret } from "./auth-secret.ts";
import { SupervisedProcess } from "./supervised-process.ts";

/**
 * `npm start`: the whole platform on one machine. Brings up the database (embedded PGlite unless
 * DATABASE_URL is set), migrates it, then runs and supervises each service; Ctrl-C stops them all.
 */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const isDev = process.argv.includes("--dev");

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

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    WEB_PORT: String(config.webPort),
    WEB_AUTH_SECRET: config.authSecret ?? (await loadOrCreateAuthSecret(dataDir)),
    NODE_ENV: isDev ? "development" : "production",
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
      name: "web",
      command: tsx,
      args: ["src/server.ts", ...(isDev ? ["--dev"] : [])],
      cwd: resolve(REPO_ROOT, "apps/web"),
      env,
      log,
    }),
  ];
  for (const service of services) service.start();
  log.info({ url: `http://localhost:${config.webPort}` }, "Relaycast is starting; open the web site");

  let isStopping = false;
  async function stop(signal: string) {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal }, "stopping");
    await Promise.all(services.map((service) => service.close()));
    await embedded?.close();
    log.info("stopped");
    process.exit(0);
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`relaycast: ${message}\n`);
  process.exit(1);
});
