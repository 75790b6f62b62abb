import { z } from "zod";
import { ZBooleanFlag, ZLogLevel, ZPort, ZPostgresUrl } from "./common.ts";
import { parseEnv } from "./parse-env.ts";

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
  /**
   * The chat gateway (socket.io) that the web server proxies `/socket.io/` to, so browsers reach
   * chat on the site's own origin. Plain HTTP: it is an internal address.
   */
  /** The IRC ports shown to users on the dashboard (`npm start` passes IRC_PORT and IRC_TLS_PORT). */
  WEB_IRC_PORT: ZPort.default(6667),
  WEB_IRC_TLS_PORT: ZPort.default(6697),
  WEB_CHAT_GATEWAY_URL: z
    .url({ protocol: /^http$/, error: "must be an http:// URL" })
    .default("http://127.0.0.1:3001"),
  /** Trust X-Forwarded-For for the client IP (set when behind a reverse proxy). */
  WEB_TRUST_PROXY: ZBooleanFlag.default(false),
  WEB_LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  WEB_LOGIN_LIMIT_PER_IP: z.coerce.number().int().positive().default(50),
  WEB_LOGIN_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  WEB_SIGNUP_LIMIT_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(20),
  LOG_LEVEL: ZLogLevel,
});

export type TWebConfig = {
  databaseUrl: string;
  port: number;
  publicUrl: string;
  authSecret: string;
  rtmpIngestUrl: string | undefined;
  mediaApiUrl: string;
  mediaPublicUrl: string | undefined;
  chatGatewayUrl: string;
  ircPort: number;
  ircTlsPort: number;
  trustProxy: boolean;
  loginLimits: { perAccount: number; perIp: number; windowSeconds: number };
  signUpLimitPerIpPerHour: number;
  logLevel: z.output<typeof ZLogLevel>;
};

export function loadWebConfig(env: Record<string, string | undefined>): TWebConfig {
  const parsed = parseEnv(ZWebEnv, env, "web");
  return {
    databaseUrl: parsed.DATABASE_URL,
    port: parsed.WEB_PORT,
    publicUrl: new URL(parsed.WEB_PUBLIC_URL).origin,
    authSecret: parsed.WEB_AUTH_SECRET,
    rtmpIngestUrl: parsed.WEB_RTMP_INGEST_URL,
    mediaApiUrl: new URL(parsed.WEB_MEDIA_API_URL).origin,
    mediaPublicUrl: parsed.WEB_MEDIA_PUBLIC_URL && new URL(parsed.WEB_MEDIA_PUBLIC_URL).origin,
    chatGatewayUrl: new URL(parsed.WEB_CHAT_GATEWAY_URL).origin,
    ircPort: parsed.WEB_IRC_PORT,
    ircTlsPort: parsed.WEB_IRC_TLS_PORT,
    trustProxy: parsed.WEB_TRUST_PROXY,
    loginLimits: {
      perAccount: parsed.WEB_LOGIN_LIMIT_PER_ACCOUNT,
      perIp: parsed.WEB_LOGIN_LIMIT_PER_IP,
      windowSeconds: parsed.WEB_LOGIN_LIMIT_WINDOW_SECONDS,
    },
    signUpLimitPerIpPerHour: parsed.WEB_SIGNUP_LIMIT_PER_IP_PER_HOUR,
    logLevel: parsed.LOG_LEVEL,
  };
}
