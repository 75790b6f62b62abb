import type { Logger } from "@relaycast/logger";
import type { ArchiveStorage } from "./archive-storage.ts";
import { PART_PLAYLIST, RECORDING_PLAYLIST, RECORDING_THUMBNAIL } from "./archive-paths.ts";
import type { RecordingStore } from "./recording-store.ts";
import { grabVodThumbnail } from "./vod-thumbnail.ts";
import {
  composeRecordingPlaylist,
  parseMediaPlaylist,
  playlistDurationMs,
  type MediaPlaylist,
} from "./vod-playlist.ts";

export type RecordingFinisherOptions = {
  storage: ArchiveStorage;
  store: RecordingStore;
  ffmpegPath: string;
  ffmpegEnv: Record<string, string>;
  log: Logger;
};

/**
 * Turns a recording into a video once its broadcast is over: leftovers of segments a crash cut short
 * are deleted; the parts' segments become one VOD playlist (a part's own playlist may have no end: a
 * crash leaves it open); duration, size and a thumbnail from the middle go into its row. Whoever
 * takes the recording first finishes it: the origin that ended the broadcast, or a recovery pass.
 */
export class RecordingFinisher {
  constructor(private readonly options: RecordingFinisherOptions) {}

  async finish(recordingId: string, status: "ready" | "interrupted"): Promise<void> {
    const { storage, store, log } = this.options;
    const parts = await store.beginFinishing(recordingId);
    if (!parts) return;
    const playlists: { dir: string; playlist: MediaPlaylist }[] = [];
    let sizeBytes = 0;
    for (const dir of parts) {
      const folder = `${recordingId}/${dir}`;
      const files = await storage.list(folder);
      for (const file of files) {
        // A segment ffmpeg had not finished when it was killed: never listed, never played.
        if (file.name.endsWith(".tmp")) await storage.remove(`${folder}/${file.name}`);
      }
      const text = await storage.readText(`${folder}/${PART_PLAYLIST}`);
      if (text === null) continue;
      const playlist = parseMediaPlaylist(text);
      const sizes = new Map(files.map((file) => [file.name, file.size]));
      for (const segment of playlist.segments) sizeBytes += sizes.get(segment.uri) ?? 0;
      playlists.push({ dir, playlist });
    }
    // Without it (a disk still full), /vod/ serves the parts as they are: playable, with no end mark.
    await storage
      .writeText(
        `${recordingId}/${RECORDING_PLAYLIST}`,
        composeRecordingPlaylist(playlists, { isFinished: true }),
      )
      .catch((error: unknown) =>
        log.error({ err: error, recordingId }, "could not write the video's playlist"),
      );
    const durationMs = playlistDurationMs(playlists.map((part) => part.playlist));
    const thumbnailPath = await this.thumbnail(recordingId, playlists).catch((error: unknown) => {
      log.warn({ err: error, recordingId }, "could not make the video's thumbnail");
      return null;
    });
    await store.finish(recordingId, { status, durationMs, sizeBytes, thumbnailPath });
    log.info({ recordingId, status, durationMs, sizeBytes, parts: parts.length }, "recording finished");
  }

  /** A frame from the segment in the middle of the video. */
  private async thumbnail(
    recordingId: string,
    playlists: { dir: string; playlist: MediaPlaylist }[],
  ): Promise<string | null> {
    const segments = playlists.flatMap(({ dir, playlist }) =>
      playlist.segments.map((segment) => `${dir}/${segment.uri}`),
    );
    const middle = segments[Math.floor(segments.length / 2)];
    if (!middle) return null;
    const { storage, ffmpegPath, ffmpegEnv } = this.options;
    await grabVodThumbnail({
      ffmpegPath,
      ffmpegEnv,
      input: storage.localPath(`${recordingId}/${middle}`),
      output: storage.localPath(`${recordingId}/${RECORDING_THUMBNAIL}`),
    });
    return RECORDING_THUMBNAIL;
  }
}
