import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createMigration } from "../migrations/index.ts";

/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
 * that brings the migrations up to prisma/schema.prisma. Review it, then apply it with `npm run db:migrate`.
 */
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || process.argv.length > 3) {
    process.stderr.write(
      "usage: npm run db:migration -- <name>   (name: a-z, 0-9 and _, e.g. add_channel_tags)\n",
    );
    return 2;
  }
  const result = await createMigration({
    name,
    schemaPath: resolve(REPO_ROOT, "prisma/schema.prisma"),
    migrationsDir: resolve(REPO_ROOT, "prisma/migrations"),
  });
  if ("empty" in result) {
    process.stdout.write(
      "No schema changes: prisma/schema.prisma matches the migrations. Nothing written.\n",
    );
  } else {
    process.stdout.write(
      `Created ${relative(REPO_ROOT, result.path)}\nReview it, then run: npm run db:migrate\n`,
    );
  }
  return 0;
}

// The process exits explicitly: the WebAssembly schema engine keeps it alive for a minute otherwise.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`db:migration: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
