import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./lock-data-dir.ts";

/** Client connections the server accepts; they are multiplexed over PGlite's single session. */
const MAX_CONNECTIONS = 100;

/**
 * PostgreSQL without installing it: PGlite (Postgres compiled to WebAssembly) persisted in `dataDir`,
 * served over the Postgres wire protocol on `host:port` (port 0 picks a free one), so `pg` and
 * `@prisma/adapter-pg` connect to it as to any server. PGlite accepts any user and database name and
 * always serves database "postgres" as user "postgres", without a password.
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
  await mkdir(dataDir, { recursive: true });
  const releaseDataDir = await lockDataDir(dataDir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir });
    const server = new PGLiteSocketServer({ db, host, port, maxConnections: MAX_CONNECTIONS });
    try {
      await server.start();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw portInUseError(host, port);
      throw error;
    }
    const boundPort = Number(server.getServerConn().split(":").pop());
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const openDb = db;
    let closing: Promise<void> | undefined;
    return {
      url: `postgresql://postgres@${urlHost}:${boundPort}/postgres`,
      close: () => {
        closing ??= (async () => {
          await server.stop();
          // A client cut off mid-transaction is rolled back by the server as it detaches; make sure.
          if (openDb.isInTransaction()) await openDb.exec("ROLLBACK").catch(() => {});
          await openDb.close();
          await releaseDataDir();
        })();
        return closing;
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
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
