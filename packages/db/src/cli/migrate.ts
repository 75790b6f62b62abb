import { fileURLToPath } from "node:url";
import { applyMigrations } from "../migrations/index.ts";
import { withDatabaseUrl } from "./with-database-url.ts";

/**
 * `npm run db:migrate`: applies the pending migrations in prisma/migrations to DATABASE_URL, or else to
 * the embedded database (through a running `npm start`, or opened for the run).
 */
const MIGRATIONS_DIR = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));

function report(applied: string[]) {
  if (applied.length === 0) {
    process.stdout.write("No pending migrations: the database is up to date.\n");
    return;
  }
  const list = applied.map((name) => `  ${name}\n`).join("");
  process.stdout.write(`Applied ${applied.length} migration(s):\n${list}`);
}

// The process exits explicitly: pg and PGlite can keep the event loop alive after a failure.
withDatabaseUrl((databaseUrl) => applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR })).then(
  ({ applied }) => {
    report(applied);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`db:migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
