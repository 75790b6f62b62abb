import { z } from "zod";
import { ZLogLevel, ZPort, ZPostgresUrl } from "./common.ts";
import { parseEnv } from "./parse-env.ts";

const ZLauncherEnv = z.object({
  /** A real PostgreSQL; without it the launcher serves an embedded PGlite from DATA_DIR. */
  DATABASE_URL: ZPostgresUrl.optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  /** Port of the embedded database (only when DATABASE_URL is unset). */
  EMBEDDED_DB_PORT: ZPort.default(5433),
  WEB_PORT: ZPort.default(3000),
  WEB_AUTH_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: ZLogLevel,
});

export type TLauncherConfig = {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedDbPort: number;
  webPort: number;
  authSecret: string | undefined;
  logLevel: z.output<typeof ZLogLevel>;
};

export function loadLauncherConfig(env: Record<string, string | undefined>): TLauncherConfig {
  const parsed = parseEnv(ZLauncherEnv, env, "launcher");
  return {
    databaseUrl: parsed.DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    embeddedDbPort: parsed.EMBEDDED_DB_PORT,
    webPort: parsed.WEB_PORT,
    authSecret: parsed.WEB_AUTH_SECRET,
    logLevel: parsed.LOG_LEVEL,
  };
}
