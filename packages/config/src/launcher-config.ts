import { z } from "zod";
import { ZLogLevel, ZPort, ZPostgresUrl } from "./common.ts";
import {
  ircServerIssues,
  ircServerPorts,
  toIrcServerConfig,
  ZIrcServerEnv,
  type TIrcServerConfig,
} from "./irc-server-config.ts";
import { parseEnv } from "./parse-env.ts";

const ZLauncherEnv = z
  .object({
    /** A real PostgreSQL; without it the launcher serves an embedded PGlite from DATA_DIR. */
    DATABASE_URL: ZPostgresUrl.optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    /** Port of the embedded database (only when DATABASE_URL is unset). */
    EMBEDDED_DB_PORT: ZPort.default(5433),
    WEB_PORT: ZPort.default(3000),
    /** The media node's ports, which the launcher checks are free before it starts anything. */
    MEDIA_RTMP_PORT: ZPort.default(1935),
    MEDIA_HTTP_PORT: ZPort.default(8000),
    /** RTMPS ingest; without MEDIA_RTMPS_CERT_FILE, a self-signed certificate is made in DATA_DIR. */
    MEDIA_RTMPS_PORT: ZPort.default(1936),
    WEB_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** The chat gateway's address; the web server proxies /socket.io to it. */
    CHAT_HOST: z.string().min(1).default("127.0.0.1"),
    CHAT_PORT: ZPort.default(3001),
    /** Shared by InspIRCd and the chat gateway; generated into DATA_DIR/irc-secret when unset. */
    IRC_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    ...ZIrcServerEnv.shape,
    LOG_LEVEL: ZLogLevel,
  })
  .superRefine((env, context) => {
    const ports: Array<[string, number]> = [
      ["WEB_PORT", env.WEB_PORT],
      ["MEDIA_RTMP_PORT", env.MEDIA_RTMP_PORT],
      ["MEDIA_HTTP_PORT", env.MEDIA_HTTP_PORT],
      ["MEDIA_RTMPS_PORT", env.MEDIA_RTMPS_PORT],
      ["CHAT_PORT", env.CHAT_PORT],
      ...ircServerPorts(env),
    ];
    if (!env.DATABASE_URL) ports.push(["EMBEDDED_DB_PORT", env.EMBEDDED_DB_PORT]);
    for (const [index, [name, port]] of ports.entries()) {
      const earlier = ports.slice(0, index).find(([, other]) => other === port);
      if (earlier)
        context.addIssue({ code: "custom", path: [name], message: `must differ from ${earlier[0]}` });
    }
    for (const { path, message } of ircServerIssues(env))
      context.addIssue({ code: "custom", path: [path], message });
  });

/**
 * What each service takes from the launcher's environment as it is, for its own config to parse:
 * its own settings and nothing else, so no service sees another's secrets or the operator's
 * unrelated variables. The launcher adds the settings it owns (DATABASE_URL, the secrets, ports).
 */
const SERVICE_VARIABLES = {
  media: /^(MEDIA_.+|FFMPEG_PATH|TRUSTED_PROXIES|REDIS_URL|CLUSTER_.+)$/,
  chat: /^(CHAT_.+|REDIS_URL|TRUSTED_PROXIES)$/,
  web: /^(WEB_.+|NEXT_TELEMETRY_DISABLED|TRUSTED_PROXIES|REDIS_URL|CLUSTER_REGISTRY_PREFIX|SMTP_URL|SMTP_FROM)$/,
};
/** What every service process needs from any environment: programs, home, temp files, locale. */
const PROCESS_VARIABLES = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ"];
export type TService = keyof typeof SERVICE_VARIABLES;

export type TLauncherConfig = {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedDbPort: number;
  webPort: number;
  media: { rtmpPort: number; httpPort: number; rtmpsPort: number };
  /** Variables passed through, as they are, to every service (`process`) and to each one. */
  passThrough: Record<TService | "process", Record<string, string>>;
  authSecret: string | undefined;
  chat: { host: string; port: number };
  irc: TIrcServerConfig & { secret: string | undefined };
  logLevel: z.output<typeof ZLogLevel>;
};

export function loadLauncherConfig(env: Record<string, string | undefined>): TLauncherConfig {
  const parsed = parseEnv(ZLauncherEnv, env, "launcher");
  return {
    databaseUrl: parsed.DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    embeddedDbPort: parsed.EMBEDDED_DB_PORT,
    webPort: parsed.WEB_PORT,
    media: {
      rtmpPort: parsed.MEDIA_RTMP_PORT,
      httpPort: parsed.MEDIA_HTTP_PORT,
      rtmpsPort: parsed.MEDIA_RTMPS_PORT,
    },
    passThrough: {
      process: pick(env, (name) => PROCESS_VARIABLES.includes(name)),
      media: pick(env, (name) => SERVICE_VARIABLES.media.test(name)),
      chat: pick(env, (name) => SERVICE_VARIABLES.chat.test(name)),
      web: pick(env, (name) => SERVICE_VARIABLES.web.test(name)),
    },
    authSecret: parsed.WEB_AUTH_SECRET,
    chat: { host: parsed.CHAT_HOST, port: parsed.CHAT_PORT },
    irc: { ...toIrcServerConfig(parsed), secret: parsed.IRC_SECRET },
    logLevel: parsed.LOG_LEVEL,
  };
}

function pick(env: Record<string, string | undefined>, keep: (name: string) => boolean) {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => keep(entry[0]) && entry[1] !== undefined,
    ),
  );
}
