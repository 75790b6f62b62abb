import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyMigrations } from "../migrations/index.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));

/**
 * A fresh, migrated database on the machine's real PostgreSQL (TEST_DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres), dropped again by `drop()`.
 */
export async function createTestDatabase(prefix = "relaycast_test") {
  const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });

  async function drop() {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      // The irc_role migration's role belongs to the server, not to the database.
      await client.query(`DROP ROLE IF EXISTS "${name}_irc"`);
    } finally {
      await client.end();
    }
  }
  return { databaseUrl, drop };
}
