import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "./apply-migrations.ts";

/** Runs against the machine's real PostgreSQL (TEST_DATABASE_URL, default postgres@127.0.0.1:5432). */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const MIGRATIONS_DIR = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));

const databases: string[] = [];
let migrationNames: string[];
let scratchDir: string;

beforeAll(async () => {
  migrationNames = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  scratchDir = await mkdtemp(join(tmpdir(), "relaycast-migrations-"));
});

afterAll(async () => {
  await withAdmin(async (admin) => {
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  await rm(scratchDir, { recursive: true, force: true });
});

describe("applyMigrations on PostgreSQL", () => {
  it("applies every migration once and records it in _prisma_migrations as Prisma does", async () => {
    const databaseUrl = await createDatabase();

    expect(await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR })).toEqual({
      applied: migrationNames,
    });

    const tables = await query(databaseUrl, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.map((row) => row.tablename)).toEqual(
      expect.arrayContaining(["_prisma_migrations", "User", "Channel", "StreamKey", "Broadcast", "IrcToken"]),
    );
    const rows = await query(
      databaseUrl,
      "SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at",
    );
    expect(rows).toHaveLength(migrationNames.length);
    for (const [index, row] of rows.entries()) {
      const bytes = await readFile(join(MIGRATIONS_DIR, migrationNames[index]!, "migration.sql"));
      expect(row).toMatchObject({
        migration_name: migrationNames[index],
        checksum: createHash("sha256").update(bytes).digest("hex"),
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }

    expect(await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR })).toEqual({ applied: [] });
    expect(await query(databaseUrl, "SELECT 1 FROM _prisma_migrations")).toHaveLength(migrationNames.length);
  });

  it("applies only the new migration of a migrated database", async () => {
    const databaseUrl = await createDatabase();
    await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
    const migrationsDir = await migrationsWith(
      "99990101000000_add_note",
      'CREATE TABLE "Note" ("id" TEXT PRIMARY KEY);\n',
    );

    expect(await applyMigrations({ databaseUrl, migrationsDir })).toEqual({
      applied: ["99990101000000_add_note"],
    });
    expect(await query(databaseUrl, `SELECT * FROM "Note"`)).toEqual([]);
  });

  it("refuses to apply anything once an applied migration's checksum no longer matches", async () => {
    const databaseUrl = await createDatabase();
    await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
    await query(databaseUrl, `UPDATE _prisma_migrations SET checksum = '${"0".repeat(64)}'`);
    const migrationsDir = await migrationsWith(
      "99990101000000_add_note",
      'CREATE TABLE "Note" ("id" TEXT PRIMARY KEY);\n',
    );

    await expect(applyMigrations({ databaseUrl, migrationsDir })).rejects.toThrow(
      `Migration "${migrationNames[0]}" was already applied, but its migration.sql has been edited since`,
    );
    expect(await query(databaseUrl, `SELECT to_regclass('"Note"') AS note`)).toEqual([{ note: null }]);
  });

  it("refuses to go on after a failed (unfinished) migration recorded by Prisma", async () => {
    const databaseUrl = await createDatabase();
    await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
    await query(
      databaseUrl,
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ('x', 'y', '99990101000000_broken', 'boom')",
    );

    await expect(applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR })).rejects.toThrow(
      'Migration "99990101000000_broken" started at',
    );
  });

  it("rolls a failing migration back whole and records nothing for it", async () => {
    const databaseUrl = await createDatabase();
    await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
    const migrationsDir = await migrationsWith(
      "99990101000000_broken",
      'CREATE TABLE "Note" ("id" TEXT PRIMARY KEY);\nSELECT no_such_function();\n',
    );

    await expect(applyMigrations({ databaseUrl, migrationsDir })).rejects.toThrow(
      /Migration "99990101000000_broken" failed and was rolled back: .*no_such_function.*line 2/,
    );
    expect(await query(databaseUrl, `SELECT to_regclass('"Note"') AS note`)).toEqual([{ note: null }]);
    expect(await query(databaseUrl, "SELECT 1 FROM _prisma_migrations")).toHaveLength(migrationNames.length);
  });

  it("applies each migration once when two processes migrate at the same time", async () => {
    const databaseUrl = await createDatabase();
    const runs = await Promise.all([
      applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR }),
      applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR }),
    ]);

    expect(runs.flatMap((run) => run.applied).sort()).toEqual(migrationNames);
    expect(await query(databaseUrl, "SELECT 1 FROM _prisma_migrations")).toHaveLength(migrationNames.length);
  });
});

async function createDatabase(): Promise<string> {
  const name = `relaycast_migrate_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  databases.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A copy of the real migrations directory plus one more migration. */
async function migrationsWith(name: string, script: string): Promise<string> {
  const dir = join(scratchDir, randomBytes(4).toString("hex"));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  await mkdir(join(dir, name));
  await writeFile(join(dir, name, "migration.sql"), script);
  return dir;
}

async function withAdmin<T>(run: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of ad-hoc test queries
async function query(databaseUrl: string, sql: string): Promise<any[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
