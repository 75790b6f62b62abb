import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { connectPgliteAdapter } from "./connect-pglite-adapter.ts";
import { loadSchemaEngine } from "./load-schema-engine.ts";
import { MIGRATION_LOCK_FILE } from "./migration-lock-file.ts";
import { readMigrations, type MigrationFile } from "./read-migrations.ts";

const NAME_PATTERN = /^[a-z0-9_]{1,200}$/;

/**
 * `prisma migrate dev --create-only` without the Prisma CLI: diffs the schema that the existing migrations
 * produce against `schemaPath` and writes the difference to `<migrationsDir>/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql`
 * (and `migration_lock.toml` when missing). The migrations are replayed into a throw-away in-memory PGlite
 * (the shadow database) by Prisma's WebAssembly schema engine; no other database is touched.
 * Returns `{ empty: true }` and writes nothing when the migrations already match the schema.
 */
export async function createMigration({
  name,
  schemaPath,
  migrationsDir,
}: {
  name: string;
  schemaPath: string;
  migrationsDir: string;
}): Promise<{ path: string } | { empty: true }> {
  if (!NAME_PATTERN.test(name)) {
    throw new Error(
      `Invalid migration name "${name}": use 1 to 200 of a-z, 0-9 and _ (e.g. add_channel_tags).`,
    );
  }
  const schema = await readFile(schemaPath, "utf8");
  const migrations = await readMigrations(migrationsDir);
  const lockPath = join(migrationsDir, MIGRATION_LOCK_FILE.name);
  const lockContent = existsSync(lockPath) ? await readFile(lockPath, "utf8") : null;

  const script = await diffMigrationsToSchema({
    schema: { path: schemaPath, content: schema },
    migrationsDir,
    migrations,
    lockContent: lockContent ?? MIGRATION_LOCK_FILE.content,
  });
  if (script === null) return { empty: true };

  const directory = join(migrationsDir, `${utcTimestamp()}_${name}`);
  if (existsSync(directory)) throw new Error(`The migration directory already exists: ${directory}`);
  await mkdir(directory, { recursive: true });
  const path = join(directory, "migration.sql");
  await writeFile(path, script, "utf8");
  if (lockContent === null) await writeFile(lockPath, MIGRATION_LOCK_FILE.content, "utf8");
  return { path };
}

/** The SQL from the migrations' end state to the schema, or null when there is no difference. */
async function diffMigrationsToSchema({
  schema,
  migrationsDir,
  migrations,
  lockContent,
}: {
  schema: { path: string; content: string };
  migrationsDir: string;
  migrations: MigrationFile[];
  lockContent: string;
}): Promise<string | null> {
  const { SchemaEngine } = await loadSchemaEngine();
  // The engine wants a main database even for a diff; the shadow one is where the migrations are replayed.
  const main = new PGlite();
  const shadow = new PGlite();
  const adapterFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "pglite-shadow",
    connect: () => connectPgliteAdapter(main),
    connectToShadowDb: () => connectPgliteAdapter(shadow),
  };
  try {
    const engine = await SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(adapterFactory),
    );
    try {
      const result = await engine.diff({
        from: {
          tag: "migrations",
          baseDir: migrationsDir,
          lockfile: { path: MIGRATION_LOCK_FILE.name, content: lockContent },
          shadowDbInitScript: "",
          migrationDirectories: migrations.map((migration) => ({
            path: migration.name,
            migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.script } },
          })),
        },
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        // With exitCode set, the engine answers 2 for a non-empty diff and 0 for none.
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      if (result.exitCode !== 2) return null;
      if (!result.stdout) throw new Error("the engine reported a difference but returned no script");
      return result.stdout;
    } finally {
      engine.free();
    }
  } catch (error) {
    // The engine appends a Rust span trace ("   0: schema_engine_wasm::…") to its messages; drop it.
    const message = (error as Error).message.split(/\n\s+0: /)[0]?.trim();
    throw new Error(`Cannot compute the migration: ${message}`, { cause: error });
  } finally {
    await Promise.all([main.close(), shadow.close()]);
  }
}

/** Prisma's migration folder prefix: the UTC time as YYYYMMDDHHMMSS. */
function utcTimestamp(): string {
  return new Date().toISOString().replace(/\D/g, "").slice(0, 14);
}
