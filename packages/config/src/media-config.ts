import { join } from "node:path";
import { z } from "zod";
import { ZLogLevel, ZPort, ZPostgresUrl, ZRedisUrl, ZRegistryPrefix } from "./common.ts";
import { ZTrustedProxies } from "./trusted-proxies.ts";
import { parseEnv } from "./parse-env.ts";

const ZUrlOrigin = z.url().transform((url) => new URL(url).origin);
/** An origin with an optional path prefix (a node behind a path-routing proxy), no trailing slash. */
const ZUrlBase = z.url().transform((url) => {
  const { origin, pathname } = new URL(url);
  return `${origin}${pathname.replace(/\/+$/, "")}`;
});

const ZMediaEnv = z
  .object({
    DATABASE_URL: ZPostgresUrl,
    /** origin: takes publishers; edge: serves viewers only; all: both (one machine). */
    MEDIA_ROLE: z.enum(["origin", "edge", "all"]).default("all"),
    /** Names this node in Broadcast rows; unset, one is generated once into DATA_DIR/media-node-id. */
    MEDIA_NODE_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    MEDIA_HOST: z.string().min(1).default("0.0.0.0"),
    MEDIA_RTMP_PORT: ZPort.default(1935),
    MEDIA_HTTP_PORT: ZPort.default(8000),
    /** RTMPS ingest (RTMP over TLS, as OBS's rtmps://): on when a certificate and key are given. */
    MEDIA_RTMPS_PORT: ZPort.default(1936),
    MEDIA_RTMPS_CERT_FILE: z.string().min(1).optional(),
    MEDIA_RTMPS_KEY_FILE: z.string().min(1).optional(),
    /** On SIGTERM, how long a node waits for its viewers to move to other nodes before it stops. */
    MEDIA_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    DATA_DIR: z.string().min(1).default("./data"),
    MEDIA_HLS_SEGMENT_SECONDS: z.coerce.number().min(0.5).max(10).default(1),
    /** Where broadcasts are recorded; DATA_DIR/archive when unset. */
    MEDIA_ARCHIVE_DIR: z.string().min(1).optional(),
    MEDIA_ARCHIVE_SEGMENT_SECONDS: z.coerce.number().min(2).max(6).default(4),
    /** Recordings stop (loudly) when the archive's disk has less free space than this. */
    MEDIA_ARCHIVE_MIN_FREE_MB: z.coerce.number().min(0).default(256),
    /** How often a live channel's thumbnail is taken from its stream. */
    MEDIA_THUMBNAIL_INTERVAL_MS: z.coerce.number().int().min(1_000).max(600_000).default(20_000),
    MEDIA_RECONNECT_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
    MEDIA_ADMISSION_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
    MEDIA_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(20_000),
    /** Open RTMP and media-HTTP connections one client (address, or IPv6 /64) may hold. */
    MEDIA_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(100),
    /** RTMP connections not yet publishing or playing (handshake, commands, key check), all together. */
    MEDIA_MAX_PENDING_CONNECTIONS: z.coerce.number().int().min(1).default(1_000),
    /** The web origin allowed to fetch media from the browser; `*` for any. */
    MEDIA_CORS_ORIGIN: z.string().min(1).default("*"),
    FFMPEG_PATH: z.string().min(1).default("ffmpeg"),
    /** Reverse proxies whose X-Forwarded-For names the viewer (HLS counts); not capped per client. */
    TRUSTED_PROXIES: ZTrustedProxies,
    /** Where the ffmpeg sidecars look for programs: the one variable they get from this process. */
    PATH: z.string().min(1).default("/usr/local/bin:/usr/bin:/bin"),
    LOG_LEVEL: ZLogLevel,
    /** With it, the node joins a cluster: it registers, heart-beats and claims channels in Redis. */
    REDIS_URL: ZRedisUrl.optional(),
    /** Authenticates the relay between nodes (HMAC challenge); every node of a cluster has the same. */
    CLUSTER_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    CLUSTER_REGISTRY_PREFIX: ZRegistryPrefix,
    /** The relay server's port on origins: edges pull channels from it. */
    MEDIA_RELAY_PORT: ZPort.default(1940),
    /** The host other nodes, publishers and viewers reach this node by (its URLs in the registry). */
    MEDIA_PUBLIC_HOST: z.string().min(1).default("localhost"),
    /** Override the URLs this node announces (behind a load balancer or proxy). */
    MEDIA_PUBLIC_RTMP_URL: z.url().optional(),
    MEDIA_PUBLIC_HTTP_URL: ZUrlBase.optional(),
    /** Where the web app reads this node's stream API, inside the cluster's network. */
    MEDIA_API_URL: ZUrlOrigin.optional(),
    MEDIA_RELAY_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, "host:port")
      .optional(),
    /** What this node is meant to carry; past it, an edge sends new viewers to a sibling. */
    MEDIA_CAPACITY_VIEWERS: z.coerce.number().int().min(1).default(2_000),
    MEDIA_CAPACITY_MBPS: z.coerce.number().min(1).default(5_000),
    /** An edge drops a channel's upstream after this long with no viewers. */
    MEDIA_UPSTREAM_IDLE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  })
  .superRefine((env, context) => {
    if (Boolean(env.MEDIA_RTMPS_CERT_FILE) !== Boolean(env.MEDIA_RTMPS_KEY_FILE))
      context.addIssue({
        code: "custom",
        path: ["MEDIA_RTMPS_CERT_FILE"],
        message: "MEDIA_RTMPS_CERT_FILE and MEDIA_RTMPS_KEY_FILE go together",
      });
    if (env.MEDIA_ROLE !== "all" && !env.REDIS_URL)
      context.addIssue({
        code: "custom",
        path: ["REDIS_URL"],
        message: `a ${env.MEDIA_ROLE} joins a cluster: set REDIS_URL`,
      });
    if (env.REDIS_URL && !env.CLUSTER_SECRET)
      context.addIssue({
        code: "custom",
        path: ["CLUSTER_SECRET"],
        message: "a cluster node needs CLUSTER_SECRET",
      });
  });

export type TMediaConfig = {
  databaseUrl: string;
  role: "origin" | "edge" | "all";
  /** From MEDIA_NODE_ID; unset, the node reads (or makes) its id in `nodeIdPath`. */
  nodeId: string | undefined;
  nodeIdPath: string;
  host: string;
  rtmpPort: number;
  httpPort: number;
  /** The RTMPS listener; none without a certificate. */
  rtmps: { port: number; certFile: string; keyFile: string } | undefined;
  drainTimeoutMs: number;
  hlsDir: string;
  hlsSegmentSeconds: number;
  archiveDir: string;
  archiveSegmentSeconds: number;
  archiveMinFreeBytes: number;
  thumbnailDir: string;
  thumbnailIntervalMs: number;
  reconnectGraceMs: number;
  admissionTimeoutMs: number;
  maxConnections: number;
  maxConnectionsPerClient: number;
  maxPendingConnections: number;
  corsOrigin: string;
  ffmpegPath: string;
  trustedProxies: string[];
  /**
   * The whole environment of the ffmpeg sidecars. They parse video the publisher controls, so they
   * get no secret and no configuration: PATH, nothing else.
   */
  ffmpegEnv: Record<string, string>;
  logLevel: z.output<typeof ZLogLevel>;
  /** Set when the node is part of a cluster (REDIS_URL); unset, it is one process on its own. */
  cluster:
    | {
        redisUrl: string;
        registryPrefix: string;
        secret: string;
        relayPort: number;
        relayAddress: string;
        upstreamIdleMs: number;
      }
    | undefined;
  publicRtmpUrl: string;
  publicHttpUrl: string;
  apiUrl: string;
  capacity: { viewers: number; mbps: number };
};

export function loadMediaConfig(env: Record<string, string | undefined>): TMediaConfig {
  const parsed = parseEnv(ZMediaEnv, env, "media");
  const host = parsed.MEDIA_PUBLIC_HOST;
  return {
    databaseUrl: parsed.DATABASE_URL,
    role: parsed.MEDIA_ROLE,
    nodeId: parsed.MEDIA_NODE_ID,
    nodeIdPath: join(parsed.DATA_DIR, "media-node-id"),
    host: parsed.MEDIA_HOST,
    rtmpPort: parsed.MEDIA_RTMP_PORT,
    httpPort: parsed.MEDIA_HTTP_PORT,
    rtmps:
      parsed.MEDIA_RTMPS_CERT_FILE && parsed.MEDIA_RTMPS_KEY_FILE
        ? {
            port: parsed.MEDIA_RTMPS_PORT,
            certFile: parsed.MEDIA_RTMPS_CERT_FILE,
            keyFile: parsed.MEDIA_RTMPS_KEY_FILE,
          }
        : undefined,
    drainTimeoutMs: parsed.MEDIA_DRAIN_TIMEOUT_MS,
    hlsDir: join(parsed.DATA_DIR, "hls"),
    hlsSegmentSeconds: parsed.MEDIA_HLS_SEGMENT_SECONDS,
    archiveDir: parsed.MEDIA_ARCHIVE_DIR ?? join(parsed.DATA_DIR, "archive"),
    archiveSegmentSeconds: parsed.MEDIA_ARCHIVE_SEGMENT_SECONDS,
    archiveMinFreeBytes: Math.round(parsed.MEDIA_ARCHIVE_MIN_FREE_MB * 1024 * 1024),
    thumbnailDir: join(parsed.DATA_DIR, "thumbnails"),
    thumbnailIntervalMs: parsed.MEDIA_THUMBNAIL_INTERVAL_MS,
    reconnectGraceMs: parsed.MEDIA_RECONNECT_GRACE_MS,
    admissionTimeoutMs: parsed.MEDIA_ADMISSION_TIMEOUT_MS,
    maxConnections: parsed.MEDIA_MAX_CONNECTIONS,
    maxConnectionsPerClient: parsed.MEDIA_MAX_CONNECTIONS_PER_IP,
    maxPendingConnections: parsed.MEDIA_MAX_PENDING_CONNECTIONS,
    corsOrigin: parsed.MEDIA_CORS_ORIGIN,
    ffmpegPath: parsed.FFMPEG_PATH,
    trustedProxies: parsed.TRUSTED_PROXIES,
    ffmpegEnv: { PATH: parsed.PATH },
    logLevel: parsed.LOG_LEVEL,
    cluster:
      parsed.REDIS_URL && parsed.CLUSTER_SECRET
        ? {
            redisUrl: parsed.REDIS_URL,
            registryPrefix: parsed.CLUSTER_REGISTRY_PREFIX,
            secret: parsed.CLUSTER_SECRET,
            relayPort: parsed.MEDIA_RELAY_PORT,
            relayAddress: parsed.MEDIA_RELAY_ADDRESS ?? `${host}:${parsed.MEDIA_RELAY_PORT}`,
            upstreamIdleMs: parsed.MEDIA_UPSTREAM_IDLE_MS,
          }
        : undefined,
    publicRtmpUrl: parsed.MEDIA_PUBLIC_RTMP_URL ?? `rtmp://${host}:${parsed.MEDIA_RTMP_PORT}`,
    publicHttpUrl: parsed.MEDIA_PUBLIC_HTTP_URL ?? `http://${host}:${parsed.MEDIA_HTTP_PORT}`,
    apiUrl: parsed.MEDIA_API_URL ?? `http://${host}:${parsed.MEDIA_HTTP_PORT}`,
    capacity: { viewers: parsed.MEDIA_CAPACITY_VIEWERS, mbps: parsed.MEDIA_CAPACITY_MBPS },
  };
}
