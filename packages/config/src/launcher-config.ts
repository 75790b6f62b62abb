import { z } from "zod";
import { ZLogLevel, ZPort, ZPostgresUrl } from "./common.ts";
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
    WEB_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** The chat gateway's address; the web server proxies /socket.io to it. */
    CHAT_HOST: z.string().min(1).default("127.0.0.1"),
    CHAT_PORT: ZPort.default(3001),
    /** Shared by InspIRCd and the chat gateway; generated into DATA_DIR/irc-secret when unset. */
    IRC_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** InspIRCd's plain-text port for IRC clients (for local use). */
    IRC_PORT: ZPort.default(6667),
    /** InspIRCd's TLS port for IRC clients. */
    IRC_TLS_PORT: ZPort.default(6697),
    /** PEM certificate and key of the TLS port; without them one is generated into DATA_DIR/irc/tls. */
    IRC_TLS_CERT_FILE: z.string().min(1).optional(),
    IRC_TLS_KEY_FILE: z.string().min(1).optional(),
    /** InspIRCd's port for the chat gateway (loopback only). */
    IRC_GATEWAY_PORT: ZPort.default(6670),
    /** InspIRCd's port for links with other IRC servers. */
    IRC_SERVER_PORT: ZPort.default(7000),
    /** Where the IRC client and server ports listen; "*" for every interface. */
    IRC_BIND_HOST: z
      .string()
      .regex(/^(\*|[A-Za-z0-9.:-]{1,253})$/, "must be an IP address, a host name or *")
      .default("127.0.0.1"),
    INSPIRCD_PATH: z.string().min(1).default("/usr/sbin/inspircd"),
    LOG_LEVEL: ZLogLevel,
  })
  .superRefine((env, context) => {
    const ports: Array<[string, number]> = [
      ["WEB_PORT", env.WEB_PORT],
      ["MEDIA_RTMP_PORT", env.MEDIA_RTMP_PORT],
      ["MEDIA_HTTP_PORT", env.MEDIA_HTTP_PORT],
      ["CHAT_PORT", env.CHAT_PORT],
      ["IRC_PORT", env.IRC_PORT],
      ["IRC_TLS_PORT", env.IRC_TLS_PORT],
      ["IRC_GATEWAY_PORT", env.IRC_GATEWAY_PORT],
      ["IRC_SERVER_PORT", env.IRC_SERVER_PORT],
    ];
    if (!env.DATABASE_URL) ports.push(["EMBEDDED_DB_PORT", env.EMBEDDED_DB_PORT]);
    for (const [index, [name, port]] of ports.entries()) {
      const earlier = ports.slice(0, index).find(([, other]) => other === port);
      if (earlier)
        context.addIssue({ code: "custom", path: [name], message: `must differ from ${earlier[0]}` });
    }
    if (Boolean(env.IRC_TLS_CERT_FILE) !== Boolean(env.IRC_TLS_KEY_FILE)) {
      context.addIssue({
        code: "custom",
        path: ["IRC_TLS_CERT_FILE"],
        message: "IRC_TLS_CERT_FILE and IRC_TLS_KEY_FILE go together",
      });
    }
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
  media: { rtmpPort: number; httpPort: number };
  /** Variables passed through, as they are, to every service (`process`) and to each one. */
  passThrough: Record<TService | "process", Record<string, string>>;
  authSecret: string | undefined;
  chat: { host: string; port: number };
  irc: {
    secret: string | undefined;
    publicPort: number;
    tlsPort: number;
    tls: { certFile: string; keyFile: string } | undefined;
    gatewayPort: number;
    serverPort: number;
    bindHost: string;
    binaryPath: string;
  };
  logLevel: z.output<typeof ZLogLevel>;
};

export function loadLauncherConfig(env: Record<string, string | undefined>): TLauncherConfig {
  const parsed = parseEnv(ZLauncherEnv, env, "launcher");
  return {
    databaseUrl: parsed.DATABASE_URL,
    dataDir: parsed.DATA_DIR,
    embeddedDbPort: parsed.EMBEDDED_DB_PORT,
    webPort: parsed.WEB_PORT,
    media: { rtmpPort: parsed.MEDIA_RTMP_PORT, httpPort: parsed.MEDIA_HTTP_PORT },
    passThrough: {
      process: pick(env, (name) => PROCESS_VARIABLES.includes(name)),
      media: pick(env, (name) => SERVICE_VARIABLES.media.test(name)),
      chat: pick(env, (name) => SERVICE_VARIABLES.chat.test(name)),
      web: pick(env, (name) => SERVICE_VARIABLES.web.test(name)),
    },
    authSecret: parsed.WEB_AUTH_SECRET,
    chat: { host: parsed.CHAT_HOST, port: parsed.CHAT_PORT },
    irc: {
      secret: parsed.IRC_SECRET,
      publicPort: parsed.IRC_PORT,
      tlsPort: parsed.IRC_TLS_PORT,
      tls:
        parsed.IRC_TLS_CERT_FILE && parsed.IRC_TLS_KEY_FILE
          ? { certFile: parsed.IRC_TLS_CERT_FILE, keyFile: parsed.IRC_TLS_KEY_FILE }
          : undefined,
      gatewayPort: parsed.IRC_GATEWAY_PORT,
      serverPort: parsed.IRC_SERVER_PORT,
      bindHost: parsed.IRC_BIND_HOST,
      binaryPath: parsed.INSPIRCD_PATH,
    },
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
