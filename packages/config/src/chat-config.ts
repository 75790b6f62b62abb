import { z } from "zod";
import { ZLogLevel, ZPort, ZPostgresUrl, ZRedisUrl } from "./common.ts";
import { parseEnv } from "./parse-env.ts";
import { ZTrustedProxies } from "./trusted-proxies.ts";

const ZChatEnv = z.object({
  DATABASE_URL: ZPostgresUrl,
  /** With it, socket.io uses its Redis adapter and rate limits are shared by every gateway. */
  REDIS_URL: ZRedisUrl.optional(),
  CHAT_HOST: z.string().min(1).default("127.0.0.1"),
  CHAT_PORT: ZPort.default(3001),
  /** Verifies the chat tokens the web app signs: the same secret as the web app's. */
  WEB_AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** The IRC server's gateway port (password-protected, WEBIRC allowed). */
  IRC_HOST: z.string().min(1).default("127.0.0.1"),
  IRC_GATEWAY_PORT: ZPort.default(6670),
  /** The gateway's IRC passwords (class, WEBIRC, oper) are derived from it; the IRC server's config too. */
  IRC_SECRET: z.string().min(32, "must be at least 32 characters"),
  CHAT_RATE_LIMIT_MESSAGES: z.coerce.number().int().positive().default(20),
  CHAT_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(30),
  /** Open chat connections one IP may hold (anonymous viewers included). */
  CHAT_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(50),
  /** Proxies (the web server included) whose X-Forwarded-For hops are believed. */
  TRUSTED_PROXIES: ZTrustedProxies,
  /** A signed-in user's IRC connection closes this long after their last chat closes… */
  CHAT_IRC_LINGER_SECONDS: z.coerce.number().int().min(0).default(30),
  /** …or after they have sent nothing for this long (the next line reopens it). */
  CHAT_IRC_IDLE_SECONDS: z.coerce.number().int().positive().default(1800),
  LOG_LEVEL: ZLogLevel,
});

export type TChatConfig = {
  databaseUrl: string;
  redisUrl: string | undefined;
  host: string;
  port: number;
  tokenSecret: string;
  irc: { host: string; gatewayPort: number; secret: string };
  rateLimit: { messages: number; windowMs: number };
  maxConnectionsPerIp: number;
  trustedProxies: string[];
  ircLingerMs: number;
  ircIdleMs: number;
  logLevel: z.output<typeof ZLogLevel>;
};

export function loadChatConfig(env: Record<string, string | undefined>): TChatConfig {
  const parsed = parseEnv(ZChatEnv, env, "chat");
  return {
    databaseUrl: parsed.DATABASE_URL,
    redisUrl: parsed.REDIS_URL,
    host: parsed.CHAT_HOST,
    port: parsed.CHAT_PORT,
    tokenSecret: parsed.WEB_AUTH_SECRET,
    irc: { host: parsed.IRC_HOST, gatewayPort: parsed.IRC_GATEWAY_PORT, secret: parsed.IRC_SECRET },
    rateLimit: {
      messages: parsed.CHAT_RATE_LIMIT_MESSAGES,
      windowMs: parsed.CHAT_RATE_LIMIT_WINDOW_SECONDS * 1000,
    },
    maxConnectionsPerIp: parsed.CHAT_MAX_CONNECTIONS_PER_IP,
    trustedProxies: parsed.TRUSTED_PROXIES,
    ircLingerMs: parsed.CHAT_IRC_LINGER_SECONDS * 1000,
    ircIdleMs: parsed.CHAT_IRC_IDLE_SECONDS * 1000,
    logLevel: parsed.LOG_LEVEL,
  };
}
