import { mediaNodeUrl } from "@relaycast/media/api";
import type { TVideoRow } from "@relaycast/db";

/** A broadcast's recording as the API and the pages show it. */
export type TVideo = {
  id: string;
  channel: string;
  /** The channel's title when the broadcast started. */
  title: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  status: "recording" | "processing" | "ready" | "interrupted";
  peakViewers: number;
  thumbnailUrl: string | null;
  /** The HLS playlist: a VOD once finished; while recording, the broadcast so far (it can be rewound). */
  playbackUrl: string;
};

/** The row, with its files' URLs on the media node at `mediaUrl` (one that holds the archive). */
export function toVideo(row: TVideoRow, mediaUrl: string): TVideo {
  const file = (name: string) => mediaNodeUrl(mediaUrl, `/vod/${row.id}/${name}`);
  return {
    id: row.id,
    channel: row.broadcast.channel.name,
    title: row.title,
    startedAt: row.broadcast.startedAt.toISOString(),
    endedAt: row.broadcast.endedAt?.toISOString() ?? null,
    durationSeconds: row.durationMs === null ? null : Math.round(row.durationMs / 100) / 10,
    status: row.status as TVideo["status"],
    peakViewers: row.broadcast.peakViewers,
    thumbnailUrl: row.thumbnailPath ? file(row.thumbnailPath) : null,
    playbackUrl: file("index.m3u8"),
  };
}
