import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigration } from "./create-migration.ts";

const PRISMA_DIR = fileURLToPath(new URL("../../../../prisma", import.meta.url));
/**
 * Two shadow databases, each applying every migration: about 7 s on a quiet machine, up to a minute
 * while the rest of `npm test` shares the cores. A guard against a hang, not a speed target.
 */
const SHADOW_DATABASE_TIMEOUT_MS = 180_000;

let tempDir: string;
let migrationsDir: string;
let schemaPath: string;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), "relaycast-create-migration-"));
  migrationsDir = join(tempDir, "migrations");
  schemaPath = join(tempDir, "schema.prisma");
  await cp(join(PRISMA_DIR, "migrations"), migrationsDir, { recursive: true });
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe("createMigration", () => {
  it(
    "writes nothing while the migrations match the schema, then the SQL for a change",
    async () => {
      const schema = await readFile(join(PRISMA_DIR, "schema.prisma"), "utf8");
      await writeFile(schemaPath, schema);
      const before = await readdir(migrationsDir);

      expect(await createMigration({ name: "nothing", schemaPath, migrationsDir })).toEqual({ empty: true });
      expect(await readdir(migrationsDir)).toEqual(before);

      await writeFile(
        schemaPath,
        schema.replace(/^model RateLimit \{$/m, "model RateLimit {\n  note String?"),
      );
      const result = await createMigration({ name: "add_note", schemaPath, migrationsDir });

      expect(result).toEqual({ path: expect.stringMatching(/[/\\]\d{14}_add_note[/\\]migration\.sql$/) });
      const script = await readFile((result as { path: string }).path, "utf8");
      expect(script).toContain('ALTER TABLE "RateLimit" ADD COLUMN     "note" TEXT;');
    },
    SHADOW_DATABASE_TIMEOUT_MS,
  );

  it(
    "reports a migration in the history that fails to apply",
    async () => {
      await mkdir(join(migrationsDir, "99990101000000_broken"));
      await writeFile(join(migrationsDir, "99990101000000_broken", "migration.sql"), "SELEC 1;\n");

      await expect(createMigration({ name: "next", schemaPath, migrationsDir })).rejects.toThrow(
        "Migration `99990101000000_broken` failed to apply cleanly to the shadow database",
      );
    },
    SHADOW_DATABASE_TIMEOUT_MS,
  );

  it("rejects a name Prisma's folder layout cannot take", async () => {
    await expect(createMigration({ name: "Add Note", schemaPath, migrationsDir })).rejects.toThrow(
      'Invalid migration name "Add Note"',
    );
  });
});
