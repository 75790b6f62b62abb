import { afterAll, beforeAll } from "vitest";
import { createDb, type Db } from "../client.ts";
import { createTestDatabase } from "./create-test-database.ts";

/**
 * For a vitest file: a fresh, migrated database on the machine's PostgreSQL for the file's tests,
 * dropped afterwards. Returns a getter, valid once `beforeAll` has run.
 */
export function useTestDb(): { db: () => Db; databaseUrl: () => string } {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.databaseUrl);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });
  return {
    db: () => db ?? raise("the test database is not ready before beforeAll"),
    databaseUrl: () => database?.databaseUrl ?? raise("the test database is not ready before beforeAll"),
  };
}

function raise(message: string): never {
  throw new Error(message);
}
