import { z } from "zod";

/**
 * The media node's HTTP API (`GET /api/v1/streams`, `GET /api/v1/streams/<channel>`): one contract,
 * used by the node to answer, by the web app to read, and by the tests to check.
 */
const ZCount = z.number().int().nonnegative();
const ZMaybeNumber = z.number().nullable();

export const ZStreamHealth = z.object({
  video: z.object({
    codec: z.string().nullable(),
    width: ZMaybeNumber,
    height: ZMaybeNumber,
    fps: ZMaybeNumber,
  }),
  audio: z.object({ codec: z.string().nullable(), sampleRate: ZMaybeNumber, channels: ZMaybeNumber }),
  ingestKbps: z.number().nonnegative(),
  keyframeIntervalMs: ZMaybeNumber,
});

export type TStreamHealth = z.infer<typeof ZStreamHealth>;

/** People watching, by protocol; HLS viewers are counted by playlist fetches. */
export const ZViewerCounts = z.object({
  "http-flv": ZCount,
  "ws-flv": ZCount,
  rtmp: ZCount,
  hls: ZCount,
  total: ZCount,
});

export type TViewerCounts = z.infer<typeof ZViewerCounts>;

/** An edge pulling a channel from this origin, with the viewers it reported. */
export const ZRelaySubscriber = z.object({ node: z.string(), viewers: ZViewerCounts.omit({ total: true }) });

/** Where a node gets a channel from: its publisher (ingest), or the origin it relays it from. */
export const ZStreamSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ingest") }),
  z.object({ kind: z.literal("relay"), origin: z.string() }),
]);

export const ZStreamStatus = z.object({
  channel: z.string(),
  state: z.enum(["live", "reconnecting"]),
  startedAt: z.iso.datetime(),
  uptimeSeconds: ZCount,
  /** People watching: here, and (on the origin) on every edge that relays the channel. */
  viewers: ZViewerCounts,
  health: ZStreamHealth,
  source: ZStreamSource,
  relaySubscribers: z.array(ZRelaySubscriber),
});

export type TStreamStatus = z.infer<typeof ZStreamStatus>;

export const ZStreamList = z.object({ streams: z.array(ZStreamStatus) });

export type TStreamList = z.infer<typeof ZStreamList>;
