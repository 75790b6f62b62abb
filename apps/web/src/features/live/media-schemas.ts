import { z } from "zod";

const ZCount = z.number().int().nonnegative();
const ZMaybeNumber = z.number().nullable();

/** The media node's description of a live stream (GET /api/v1/streams/<channel>), validated on arrival. */
export const ZStreamStatus = z.object({
  channel: z.string(),
  state: z.enum(["live", "reconnecting"]),
  startedAt: z.iso.datetime(),
  uptimeSeconds: ZCount,
  viewers: z.object({ "http-flv": ZCount, "ws-flv": ZCount, rtmp: ZCount, hls: ZCount, total: ZCount }),
  health: z.object({
    video: z.object({
      codec: z.string().nullable(),
      width: ZMaybeNumber,
      height: ZMaybeNumber,
      fps: ZMaybeNumber,
    }),
    audio: z.object({ codec: z.string().nullable(), sampleRate: ZMaybeNumber, channels: ZMaybeNumber }),
    ingestKbps: z.number().nonnegative(),
    keyframeIntervalMs: ZMaybeNumber,
  }),
});

export type TStreamStatus = z.infer<typeof ZStreamStatus>;

export const ZStreamList = z.object({ streams: z.array(ZStreamStatus) });
