import { z } from "zod";
import { ZLogLevel, ZPort, ZPostgresUrl } from "./common.ts";
import {
  ircServerIssues,
  toIrcServerConfig,
  ZIrcServerEnv,
  type TIrcServerConfig,
} from "./irc-server-config.ts";
import { parseEnv } from "./parse-env.ts";

const ZIrcdEnv = ZIrcServerEnv.extend({
  /** The platform database, for the IRC server's token logins (sqlauth). */
  DATABASE_URL: ZPostgresUrl,
  /** Every IRC password derives from it: the same on every IRC server and chat gateway. */
  IRC_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** The server's config, pid file, log and generated TLS certificate go in `<DATA_DIR>/irc`. */
  DATA_DIR: z.string().min(1).default("./data"),
  /** /healthz, /readyz and /metrics of the supervisor. */
  IRC_HEALTH_HOST: z.string().min(1).default("127.0.0.1"),
  IRC_HEALTH_PORT: ZPort.default(6680),
  LOG_LEVEL: ZLogLevel,
}).superRefine((env, context) => {
  for (const { path, message } of ircServerIssues(env))
    context.addIssue({ code: "custom", path: [path], message });
});

export type TIrcdConfig = TIrcServerConfig & {
  databaseUrl: string;
  secret: string;
  dataDir: string;
  health: { host: string; port: number };
  logLevel: z.output<typeof ZLogLevel>;
};

/** The `ircd` app: one IRC server of a network, run and supervised on its own (compose, Kubernetes). */
export function loadIrcdConfig(env: Record<string, string | undefined>): TIrcdConfig {
  const parsed = parseEnv(ZIrcdEnv, env, "ircd");
  return {
    ...toIrcServerConfig(parsed),
    databaseUrl: parsed.DATABASE_URL,
    secret: parsed.IRC_SECRET,
    dataDir: parsed.DATA_DIR,
    health: { host: parsed.IRC_HEALTH_HOST, port: parsed.IRC_HEALTH_PORT },
    logLevel: parsed.LOG_LEVEL,
  };
}
