import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, createIrcToken, type Db } from "@relaycast/db";
import { startEmbeddedPostgres } from "@relaycast/db/embedded";
import { applyMigrations } from "@relaycast/db/migrations";
import { seedChannel } from "@relaycast/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IrcTestClient, startTestIrcd, type TestIrcd } from "../testing/index.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));

let tempDir: string;
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let db: Db;
let ircd: TestIrcd;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), "relaycast-ircd-pglite-"));
  embedded = await startEmbeddedPostgres({ dataDir: join(tempDir, "postgres"), host: "127.0.0.1", port: 0 });
  await applyMigrations({ databaseUrl: embedded.url, migrationsDir: MIGRATIONS_DIR });
  db = createDb(embedded.url);
  ircd = await startTestIrcd({ databaseUrl: embedded.url });
});

afterAll(async () => {
  await ircd?.close();
  await db?.$disconnect();
  await embedded?.close();
  await rm(tempDir, { recursive: true, force: true });
});

describe("sqlauth against the embedded PGlite database (npm start without PostgreSQL)", () => {
  it("logs a token user in through m_pgsql (libpq) and refuses a wrong token", async () => {
    const { user } = await seedChannel(db);
    const { token, id } = await createIrcToken(db, { userId: user.id });
    const [client, refused] = await Promise.all([
      IrcTestClient.connect({ port: ircd.publicPort, nick: user.username, pass: token }),
      IrcTestClient.connect({ port: ircd.publicPort, nick: `${user.username}_x`, pass: token }).catch(
        (error: Error) => error,
      ),
    ]);
    try {
      expect(client.nick).toBe(user.username);
      expect((refused as Error).message).toContain("Login failed");
      const row = await db.ircToken.findUniqueOrThrow({ where: { id } });
      expect(row.lastUsedAt).toBeInstanceOf(Date);
    } finally {
      await client.close();
    }
  });
});
