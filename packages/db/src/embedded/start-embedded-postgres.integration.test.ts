import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../migrations/index.ts";
import { startEmbeddedPostgres } from "./start-embedded-postgres.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));

let tempDir: string;
let dataDir: string;
let migrationNames: string[];

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), "relaycast-embedded-"));
  dataDir = join(tempDir, "postgres");
  migrationNames = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe("startEmbeddedPostgres", () => {
  it("serves a migrated PGlite to a pool of concurrent clients, and keeps the data across a restart", async () => {
    const first = await startEmbeddedPostgres({ dataDir, host: "127.0.0.1", port: 0 });
    try {
      expect(first.url).toMatch(/^postgresql:\/\/postgres:[\w-]{43}@127\.0\.0\.1:\d+\/postgres$/);
      // Two runs at once, as two processes starting together would: each migration is applied once.
      const runs = await Promise.all([
        applyMigrations({ databaseUrl: first.url, migrationsDir: MIGRATIONS_DIR }),
        applyMigrations({ databaseUrl: first.url, migrationsDir: MIGRATIONS_DIR }),
      ]);
      expect(runs.flatMap((run) => run.applied).sort()).toEqual(migrationNames);

      const pool = new pg.Pool({ connectionString: first.url, max: 4 });
      try {
        await Promise.all(
          Array.from({ length: 4 }, (_, worker) => insertUsersInTransactions(pool, worker, 10)),
        );
        const { rows } = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM "User"`);
        expect(rows[0]?.count).toBe(40);
        expect(pool.totalCount).toBe(4);
      } finally {
        await pool.end();
      }
    } finally {
      await first.close();
    }

    const second = await startEmbeddedPostgres({ dataDir, host: "127.0.0.1", port: 0 });
    try {
      expect(await applyMigrations({ databaseUrl: second.url, migrationsDir: MIGRATIONS_DIR })).toEqual({
        applied: [],
      });
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      try {
        const users = await client.query(`SELECT username FROM "User" WHERE username = 'user_3_9'`);
        expect(users.rows).toEqual([{ username: "user_3_9" }]);
        const history = await client.query(
          "SELECT migration_name FROM _prisma_migrations ORDER BY started_at",
        );
        expect(history.rows.map((row) => row.migration_name)).toEqual(migrationNames);
      } finally {
        await client.end();
      }
    } finally {
      await second.close();
    }
  });

  it("lets in only a client with the password, and syncs commits to disk", async () => {
    const embedded = await startEmbeddedPostgres({ dataDir, host: "127.0.0.1", port: 0 });
    try {
      const url = new URL(embedded.url);
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      try {
        const settings = await client.query(
          "SELECT current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS method",
        );
        expect(settings.rows).toEqual([{ fsync: "on", method: "fsync" }]);
      } finally {
        await client.end();
      }
      for (const password of [undefined, "wrong", `${url.password}x`]) {
        const intruder = new pg.Client({
          host: "127.0.0.1",
          port: Number(url.port),
          user: "postgres",
          database: "postgres",
          ...(password !== undefined && { password }),
        });
        await expect(intruder.connect()).rejects.toThrow(
          password === undefined ? /password/ : /password authentication failed/,
        );
        await intruder.end().catch(() => {});
      }
      // The password is kept beside the data, for the owner only.
      expect((await stat(`${dataDir}.password`)).mode & 0o777).toBe(0o600);
      expect((await readFile(`${dataDir}.password`, "utf8")).trim()).toBe(decodeURIComponent(url.password));
    } finally {
      await embedded.close();
    }
  });

  it("gives each client its own answers while queries from several clients and a transaction overlap", async () => {
    const db = await startEmbeddedPostgres({ dataDir: join(tempDir, "overlap"), host: "127.0.0.1", port: 0 });
    const [upserter, reader, transactor] = [0, 1, 2].map(
      () => new pg.Client({ connectionString: db.url, query_timeout: 5_000 }),
    ) as [pg.Client, pg.Client, pg.Client];
    try {
      for (const client of [upserter, reader, transactor]) await client.connect();
      await upserter.query(
        "CREATE TABLE ban (id text PRIMARY KEY); INSERT INTO ban VALUES ('b1'); CREATE TABLE hits (key text PRIMARY KEY, count int)",
      );
      // As the web's rate limit and the chat gateway's ban check did, while a third client was in a
      // transaction: parameterized (extended protocol) queries on the one PGlite session.
      const rounds = 50;
      for (let round = 0; round < rounds; round += 1) {
        await transactor.query("BEGIN");
        const commit = new Promise((resolve) => setTimeout(resolve, 5)).then(() =>
          transactor.query("COMMIT"),
        );
        const [upserted, banned] = await Promise.all([
          upserter.query<{ key: string }>(
            "INSERT INTO hits (key, count) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET count = hits.count + 1 RETURNING key",
            [`k${round}`],
          ),
          reader.query<{ id: string }>("SELECT id FROM ban WHERE id <> $1", ["x"]),
        ]);
        await commit;
        expect(upserted.rows).toEqual([{ key: `k${round}` }]);
        expect(banned.rows).toEqual([{ id: "b1" }]);
      }
      expect((await reader.query("SELECT count(*)::int AS n FROM hits")).rows[0]).toEqual({ n: rounds });
    } finally {
      for (const client of [upserter, reader, transactor]) await client.end().catch(() => {});
      await db.close();
    }
  });

  it("refuses a port that is taken, and a data directory that is already open", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir, host: "127.0.0.1", port })).rejects.toThrow(
        `127.0.0.1:${port} is already in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    const open = await startEmbeddedPostgres({ dataDir, host: "127.0.0.1", port: 0 });
    try {
      await expect(startEmbeddedPostgres({ dataDir, host: "127.0.0.1", port: 0 })).rejects.toThrow(
        "is already open in process",
      );
    } finally {
      await open.close();
    }
  });
});

/** `count` users, each written by an interactive transaction (insert, read back, commit). */
async function insertUsersInTransactions(pool: pg.Pool, worker: number, count: number) {
  const client = await pool.connect();
  try {
    for (let index = 0; index < count; index += 1) {
      const username = `user_${worker}_${index}`;
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO "User" (id, name, username, email, "updatedAt") VALUES ($1, $1, $1, $2, now())`,
        [username, `${username}@example.com`],
      );
      const { rows } = await client.query(`SELECT count(*)::int AS count FROM "User" WHERE username = $1`, [
        username,
      ]);
      expect(rows[0]?.count).toBe(1);
      await client.query("COMMIT");
    }
  } finally {
    client.release();
  }
}
