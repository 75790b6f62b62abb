import { randomUUID } from "node:crypto";
import pg from "pg";
import { matchesMigrationChecksum } from "./matches-migration-checksum.ts";
import { migrationChecksum } from "./migration-checksum.ts";
import { readMigrations, type MigrationFile } from "./read-migrations.ts";

/** The advisory lock key Prisma Migrate takes (prisma-engines, flavour/postgres.rs), so the two exclude each other. */
const MIGRATE_LOCK_KEY = 72707369;
const LOCK_WAIT_MS = 60_000;
const LOCK_POLL_MS = 200;

/**
 * Prisma's own DDL for its history table (prisma-engines, flavour/postgres.rs `create_migrations_table`).
 * IF NOT EXISTS is the one addition: on PGlite two runs can both get this far (see applyMigration).
 */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

type MigrationRow = {
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  rolled_back_at: Date | null;
  started_at: Date;
};

/**
 * `prisma migrate deploy` without the Prisma CLI: applies the pending `<migrationsDir>/<name>/migration.sql`
 * scripts in name order, each in its own transaction, and records them in `_prisma_migrations` as Prisma
 * does, so the real CLI can take over the same database. Safe to run again (applied ones are skipped) and
 * from several processes at once (Prisma's advisory lock). Refuses to apply anything when an applied
 * migration's script was edited, or when the history holds a failed migration.
 */
export async function applyMigrations({
  databaseUrl,
  migrationsDir,
}: {
  databaseUrl: string;
  migrationsDir: string;
}): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  // A dropped connection is reported by the pending query; without a listener it would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot connect to the database to migrate it: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    await acquireMigrateLock(client);
    try {
      await ensureMigrationsTable(client);
      const rows = (
        await client.query<MigrationRow>(
          "SELECT checksum, finished_at, migration_name, rolled_back_at, started_at FROM _prisma_migrations ORDER BY started_at ASC",
        )
      ).rows;
      const pending = pendingMigrations(migrations, rows);
      const applied: string[] = [];
      for (const migration of pending) {
        if (await applyMigration(client, migration)) applied.push(migration.name);
      }
      return { applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function acquireMigrateLock(client: pg.Client) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      MIGRATE_LOCK_KEY,
    ]);
    if (rows[0]?.locked) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${LOCK_WAIT_MS / 1000}s waiting for the migration lock (pg_advisory_lock(${MIGRATE_LOCK_KEY})): another process is migrating this database.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/** Creates `_prisma_migrations` in a database that has none; like Prisma, refuses a non-empty database without it. */
async function ensureMigrationsTable(client: pg.Client) {
  const { rows } = await client.query<{ name: string }>(
    `SELECT tbl.relname AS name FROM pg_class AS tbl
     INNER JOIN pg_namespace AS namespace ON namespace.oid = tbl.relnamespace
     WHERE tbl.relkind = 'r' AND namespace.nspname = current_schema()`,
  );
  const tables = rows.map((row) => row.name);
  if (tables.includes("_prisma_migrations")) return;
  if (tables.length > 0) {
    throw new Error(
      `The database schema is not empty (tables: ${tables.slice(0, 5).join(", ")}${tables.length > 5 ? ", …" : ""}) but has no _prisma_migrations table, so its state is unknown. Migrate an empty database, or baseline this one first.`,
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

/** The migrations still to apply, after checking the recorded history against the files. */
function pendingMigrations(migrations: MigrationFile[], rows: MigrationRow[]): MigrationFile[] {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new Error(
      `Migration "${failed.migration_name}" started at ${failed.started_at.toISOString()} but never finished (it failed), so no further migration is applied. Repair the database by hand, then mark it rolled back (UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '${failed.migration_name}' AND finished_at IS NULL, or \`prisma migrate resolve --rolled-back\`) and migrate again.`,
    );
  }
  const applied = new Map(live.map((row) => [row.migration_name, row]));
  for (const migration of migrations) {
    const row = applied.get(migration.name);
    if (row && !matchesMigrationChecksum(migration.script, row.checksum)) {
      throw new Error(
        `Migration "${migration.name}" was already applied, but its migration.sql has been edited since (checksum ${row.checksum} recorded, ${migrationChecksum(migration.bytes)} now), so nothing is applied. Restore the applied script and put the change in a new migration.`,
      );
    }
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

/** Applies one migration in a transaction; false when another process applied it meanwhile. */
async function applyMigration(client: pg.Client, migration: MigrationFile): Promise<boolean> {
  await client.query("BEGIN");
  try {
    // Checked again inside the transaction: on PGlite every connection shares one session, so the
    // advisory lock does not keep a concurrent run out, but transactions are serialized.
    const { rowCount } = await client.query(
      "SELECT 1 FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL",
      [migration.name],
    );
    if (rowCount) {
      await client.query("ROLLBACK");
      return false;
    }
    const id = randomUUID();
    await client.query(
      "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)",
      [id, migrationChecksum(migration.bytes), new Date(), migration.name],
    );
    try {
      await client.query(migration.script);
    } catch (error) {
      throw new Error(
        `Migration "${migration.name}" failed and was rolled back: ${describeError(error, migration.script)}`,
        {
          cause: error,
        },
      );
    }
    await client.query(
      "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = $2 WHERE id = $1",
      [id, new Date()],
    );
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

function describeError(error: unknown, script: string): string {
  const { message, position } = error as { message?: string; position?: string };
  if (!position) return String(message ?? error);
  const line = script.slice(0, Number(position) - 1).split("\n").length;
  return `${message} (migration.sql line ${line})`;
}
