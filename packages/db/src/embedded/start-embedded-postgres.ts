import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { loadOrCreateDatabasePassword } from "./database-password.ts";
import { DURABLE_START_PARAMS, syncWritesToDisk } from "./durable-writes.ts";
import { lockDataDir } from "./lock-data-dir.ts";
import { startPasswordGate } from "./password-gate.ts";

/** Client connections the server accepts; they are multiplexed over PGlite's single session. */
const MAX_CONNECTIONS = 100;

/**
 * PostgreSQL without installing it: PGlite (Postgres compiled to WebAssembly) persisted in `dataDir`,
 * served over the Postgres wire protocol on `host:port` (port 0 picks a free one), so `pg` and
 * `@prisma/adapter-pg` connect to it as to any server. It serves database "postgres" as user
 * "postgres", with the password made into `<dataDir>.password` (the URL carries it): PGlite itself
 * checks none, so it listens on a Unix socket in a private folder, behind a password gate.
 * Commits are synced to disk (fsync on).
 *
 * All connections share one session: queries are queued, and a transaction holds the database until it
 * ends. Session state (SET, advisory locks, temp tables) is therefore shared between clients.
 */
export async function startEmbeddedPostgres({
  dataDir,
  host,
  port,
}: {
  dataDir: string;
  host: string;
  port: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  if (port !== 0) await assertPortFree(host, port);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const releaseDataDir = await lockDataDir(dataDir);
  const password = await loadOrCreateDatabasePassword(dataDir);
  // mkdtemp makes it 0700: only this user can open the unauthenticated socket.
  const socketDir = await mkdtemp(join(tmpdir(), "relaycast-db-"));
  const socketPath = join(socketDir, "pglite.sock");
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create({ dataDir, startParams: DURABLE_START_PARAMS });
    syncWritesToDisk(db);
    server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: MAX_CONNECTIONS });
    await server.start();
    const gate = await startPasswordGate({ host, port, password, upstreamPath: socketPath }).catch(
      (error: NodeJS.ErrnoException) => {
        throw error.code === "EADDRINUSE" ? portInUseError(host, port) : error;
      },
    );
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const openDb = db;
    const openServer = server;
    let closing: Promise<void> | undefined;
    return {
      url: `postgresql://postgres:${password}@${urlHost}:${gate.port}/postgres`,
      close: () => {
        closing ??= (async () => {
          await gate.close();
          await openServer.stop();
          // A client cut off mid-transaction is rolled back by the server as it detaches; make sure.
          if (openDb.isInTransaction()) await openDb.exec("ROLLBACK").catch(() => {});
          await openDb.close();
          await rm(socketDir, { recursive: true, force: true });
          await releaseDataDir();
        })();
        return closing;
      },
    };
  } catch (error) {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await rm(socketDir, { recursive: true, force: true });
    await releaseDataDir();
    throw error;
  }
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? portInUseError(host, port) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function portInUseError(host: string, port: number): Error {
  return new Error(
    `Cannot start the embedded database: ${host}:${port} is already in use (is Relaycast, or another database, already running?). Stop that process or choose another port.`,
  );
}
