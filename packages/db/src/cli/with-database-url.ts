import { connect } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadLauncherConfig } from "@relaycast/config";
import { loadOrCreateDatabasePassword, startEmbeddedPostgres } from "../embedded/index.ts";
import { applyMigrations } from "../migrations/index.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * Runs a database CLI against DATABASE_URL, or else against the embedded database: the one a running
 * `npm start` serves, or, when the platform is stopped, one this command opens itself (migrated first).
 */
export async function withDatabaseUrl<T>(run: (databaseUrl: string) => Promise<T>): Promise<T> {
  const config = loadLauncherConfig(process.env);
  if (config.databaseUrl) return run(config.databaseUrl);
  const host = "127.0.0.1";
  const dataDir = resolve(REPO_ROOT, config.dataDir, "postgres");
  if (await isListening(host, config.embeddedDbPort)) {
    const password = await loadOrCreateDatabasePassword(dataDir);
    return run(`postgresql://postgres:${password}@${host}:${config.embeddedDbPort}/postgres`);
  }
  const embedded = await startEmbeddedPostgres({
    dataDir,
    host,
    port: config.embeddedDbPort,
  });
  try {
    await applyMigrations({
      databaseUrl: embedded.url,
      migrationsDir: resolve(REPO_ROOT, "prisma/migrations"),
    });
    return await run(embedded.url);
  } finally {
    await embedded.close();
  }
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}
