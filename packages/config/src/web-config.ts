import { z } from "zod";
import { ZLogLevel, ZPort, ZPostgresUrl, ZRedisUrl, ZRegistryPrefix } from "./common.ts";
import { parseEnv } from "./parse-env.ts";
import { ZTrustedProxies } from "./trusted-proxies.ts";

const ZWebEnv = z.object({
  DATABASE_URL: ZPostgresUrl,
  WEB_PORT: ZPort.default(3000),
  /** The origin users reach the site at; form posts from any other origin are refused. */
  WEB_PUBLIC_URL: z.url().default("http://localhost:3000"),
  /** Signs session cookies. `npm start` generates one into ./data when unset. */
  WEB_AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** Shown to broadcasters; by default rtmp://<the host they browse>:1935/live. */
  WEB_RTMP_INGEST_URL: z
    .string()
    .regex(/^rtmps?:\/\//, "must be an rtmp:// URL")
    .optional(),
  /** The media node's HTTP API, read server-side for stream health (not exposed to browsers). */
  WEB_MEDIA_API_URL: z.url().default("http://127.0.0.1:8000"),
  /** Where browsers reach the media node (FLV, HLS, thumbnails); by default http://<the host they browse>:8000. */
  WEB_MEDIA_PUBLIC_URL: z.url().optional(),
  /** The media cluster's registry: with it, the director sends viewers and broadcasters to its nodes. */
  REDIS_URL: ZRedisUrl.optional(),
  CLUSTER_REGISTRY_PREFIX: ZRegistryPrefix,
  /**
   * The chat gateway (socket.io) that the web server proxies `/socket.io/` to, so browsers reach
   * chat on the site's own origin. Plain HTTP: it is an internal address.
   */
  /** The IRC ports shown to users on the dashboard (`npm start` passes IRC_PORT and IRC_TLS_PORT). */
  WEB_IRC_PORT: ZPort.default(6667),
  /** The IRC server's host users connect to; by default the host they browse. */
  WEB_IRC_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, "must be a host name")
    .optional(),
  WEB_IRC_TLS_PORT: ZPort.default(6697),
  /** The chat gateways, comma-separated: socket.io clients are spread over them, each kept on one. */
  WEB_CHAT_GATEWAY_URL: z
    .string()
    .default("http://127.0.0.1:3001")
    .transform((value) => value.split(",").filter((url) => url.trim() !== ""))
    .pipe(
      z
        .array(
          z
            .url({ protocol: /^http$/, error: "must be http:// URLs" })
            .transform((url) => new URL(url.trim()).origin),
        )
        .min(1),
    ),
  /** Reverse proxies whose X-Forwarded-For hops are believed (shared with the chat gateway). */
  TRUSTED_PROXIES: ZTrustedProxies,
  /** Failed logins to one account from one IP before each further attempt must wait (doubling). */
  WEB_LOGIN_FAILURES_BEFORE_BACKOFF: z.coerce.number().int().positive().default(5),
  WEB_LOGIN_LIMIT_PER_IP: z.coerce.number().int().positive().default(50),
  WEB_LOGIN_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  /** Requests to the public API (/api/v1/*) per client IP per minute, per web process. */
  WEB_API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  /** Open Server-Sent Events streams (live status) per client IP, and in total, per web process. */
  WEB_EVENT_STREAMS_PER_IP: z.coerce.number().int().positive().default(20),
  WEB_EVENT_STREAMS_MAX: z.coerce.number().int().positive().default(5000),
  /** An event stream is closed after this long; the browser reconnects by itself. */
  WEB_EVENT_STREAM_LIFETIME_SECONDS: z.coerce.number().int().positive().default(300),
  WEB_SIGNUP_LIMIT_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(20),
  /** Where password-reset mail goes out: `smtp://user:pass@host:587` or `smtps://…:465`. */
  SMTP_URL: z
    .url()
    .refine((url) => /^smtps?:$/.test(new URL(url).protocol), "must be an smtp:// or smtps:// URL")
    .optional(),
  SMTP_FROM: z.string().min(3).default("Relaycast <no-reply@localhost>"),
  LOG_LEVEL: ZLogLevel,
});

export type TWebConfig = {
  databaseUrl: string;
  port: number;
  publicUrl: string;
  /** WEB_PUBLIC_URL is on loopback (`npm start`'s default): the site is meant for this machine. */
  isLoopbackOnly: boolean;
  authSecret: string;
  rtmpIngestUrl: string | undefined;
  mediaApiUrl: string;
  mediaPublicUrl: string | undefined;
  /** Set when media nodes form a cluster (REDIS_URL): the director reads their registry. */
  cluster: { redisUrl: string; registryPrefix: string } | undefined;
  /** Every chat gateway; the first answers the internal API (any gateway acts network-wide). */
  chatGatewayUrls: string[];
  ircPort: number;
  /** Addresses and CIDR blocks; `trustedProxySet` turns them into a membership test. */
  trustedProxies: string[];
  loginLimits: { failuresBeforeBackoff: number; perIp: number; windowSeconds: number };
  apiRequestsPerMinute: number;
  eventStreams: { maxPerIp: number; maxTotal: number; lifetimeMs: number };
  ircTlsPort: number;
  /** Shown to users for IRC; unset, the host they browse. */
  ircHost: string | undefined;
  signUpLimitPerIpPerHour: number;
  /** Mail for password resets; without it the reset link goes to the log, for the operator. */
  smtp: { url: string; from: string } | undefined;
  logLevel: z.output<typeof ZLogLevel>;
};

export function loadWebConfig(env: Record<string, string | undefined>): TWebConfig {
  const parsed = parseEnv(ZWebEnv, env, "web");
  return {
    databaseUrl: parsed.DATABASE_URL,
    port: parsed.WEB_PORT,
    publicUrl: new URL(parsed.WEB_PUBLIC_URL).origin,
    isLoopbackOnly: isLoopbackHost(new URL(parsed.WEB_PUBLIC_URL).hostname),
    authSecret: parsed.WEB_AUTH_SECRET,
    rtmpIngestUrl: parsed.WEB_RTMP_INGEST_URL,
    mediaApiUrl: new URL(parsed.WEB_MEDIA_API_URL).origin,
    mediaPublicUrl: parsed.WEB_MEDIA_PUBLIC_URL && new URL(parsed.WEB_MEDIA_PUBLIC_URL).origin,
    cluster: parsed.REDIS_URL
      ? { redisUrl: parsed.REDIS_URL, registryPrefix: parsed.CLUSTER_REGISTRY_PREFIX }
      : undefined,
    chatGatewayUrls: parsed.WEB_CHAT_GATEWAY_URL,
    ircPort: parsed.WEB_IRC_PORT,
    trustedProxies: parsed.TRUSTED_PROXIES,
    ircTlsPort: parsed.WEB_IRC_TLS_PORT,
    ircHost: parsed.WEB_IRC_HOST,
    loginLimits: {
      failuresBeforeBackoff: parsed.WEB_LOGIN_FAILURES_BEFORE_BACKOFF,
      perIp: parsed.WEB_LOGIN_LIMIT_PER_IP,
      windowSeconds: parsed.WEB_LOGIN_LIMIT_WINDOW_SECONDS,
    },
    signUpLimitPerIpPerHour: parsed.WEB_SIGNUP_LIMIT_PER_IP_PER_HOUR,
    apiRequestsPerMinute: parsed.WEB_API_RATE_LIMIT_PER_MINUTE,
    eventStreams: {
      maxPerIp: parsed.WEB_EVENT_STREAMS_PER_IP,
      maxTotal: parsed.WEB_EVENT_STREAMS_MAX,
      lifetimeMs: parsed.WEB_EVENT_STREAM_LIFETIME_SECONDS * 1000,
    },
    smtp: parsed.SMTP_URL ? { url: parsed.SMTP_URL, from: parsed.SMTP_FROM } : undefined,
    logLevel: parsed.LOG_LEVEL,
  };
}

function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
