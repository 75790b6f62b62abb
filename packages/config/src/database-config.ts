import { z } from "zod";
import { ZPostgresUrl } from "./common.ts";
import { parseEnv } from "./parse-env.ts";

const ZDatabaseEnv = z.object({ DATABASE_URL: ZPostgresUrl });

/** For the database CLIs (migrate, admin:create) that need only a connection string. */
export function loadDatabaseConfig(env: Record<string, string | undefined>): { databaseUrl: string } {
  return { databaseUrl: parseEnv(ZDatabaseEnv, env, "database").DATABASE_URL };
}
