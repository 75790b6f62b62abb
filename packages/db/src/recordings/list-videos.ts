import type { Db } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/** What a video (a broadcast's recording) shows: the row, its broadcast's times and its channel. */
const VIDEO_SELECT = {
  id: true,
  title: true,
  status: true,
  durationMs: true,
  sizeBytes: true,
  thumbnailPath: true,
  failureReason: true,
  broadcast: {
    select: {
      startedAt: true,
      endedAt: true,
      peakViewers: true,
      originNode: true,
      channel: { select: { name: true, ownerId: true } },
    },
  },
} satisfies Prisma.RecordingSelect;

export type TVideoRow = Prisma.RecordingGetPayload<{ select: typeof VIDEO_SELECT }>;

/** A deleted video is gone for everyone: its row stays only until the archive has removed its files. */
const VISIBLE = { status: { notIn: ["deleted", "failed"] } } satisfies Prisma.RecordingWhereInput;

/** A channel's videos, newest first (recordings still going on included). */
export async function listChannelVideos(
  db: Db,
  { channelName, limit = 100 }: { channelName: string; limit?: number },
): Promise<TVideoRow[]> {
  return db.recording.findMany({
    where: { ...VISIBLE, broadcast: { channel: { name: channelName } } },
    orderBy: { broadcast: { startedAt: "desc" } },
    take: limit,
    select: VIDEO_SELECT,
  });
}

/** One video, or null (never recorded, or deleted). */
export async function getVideo(db: Db, videoId: string): Promise<TVideoRow | null> {
  return db.recording.findFirst({ where: { id: videoId, ...VISIBLE }, select: VIDEO_SELECT });
}

/** The site's latest videos, every channel's, newest first (for /admin). */
export async function listLatestVideos(
  db: Db,
  { limit = 20 }: { limit?: number } = {},
): Promise<TVideoRow[]> {
  return db.recording.findMany({
    where: VISIBLE,
    orderBy: { broadcast: { startedAt: "desc" } },
    take: limit,
    select: VIDEO_SELECT,
  });
}
