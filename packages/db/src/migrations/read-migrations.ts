import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** One `<migrationsDir>/<name>/migration.sql`. `bytes` is the file as stored, for its checksum. */
export type MigrationFile = { name: string; script: string; bytes: Buffer };

/**
 * The migration folders under `migrationsDir`, sorted by name the way the Prisma CLI sorts them. Plain
 * files (migration_lock.toml) are skipped; a missing directory has no migrations.
 */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => {
      const path = join(migrationsDir, name, "migration.sql");
      const bytes = await readFile(path).catch((error: Error) => {
        throw new Error(`Cannot read the migration script ${path}: ${error.message}`, { cause: error });
      });
      return { name, script: bytes.toString("utf8"), bytes };
    }),
  );
}
