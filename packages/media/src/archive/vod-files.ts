import type { Readable } from "node:stream";
import type { ArchiveStorage } from "./archive-storage.ts";
import { PART_PLAYLIST, RECORDING_PLAYLIST, RECORDING_ID } from "./archive-paths.ts";
import { composeRecordingPlaylist, parseMediaPlaylist } from "./vod-playlist.ts";

export type VodFile = { contentType: string } & ({ text: string } | { stream: Readable; size: number });

const VOD_FILE = /^([^/]+)\/(index\.m3u8|thumbnail\.jpg|part-\d{1,4}\/seg-\d{5,10}\.ts)$/;
const PART_FOLDER = /^part-(\d{1,4})$/;
const M3U8 = "application/vnd.apple.mpegurl";

/**
 * A file of the archive as the media node serves it under `/vod/<path>`; null when there is none. A
 * finished recording's playlist is its VOD playlist; while it is still recorded, an EVENT playlist is
 * made of its parts so far, which players can seek back through (rewind while live).
 */
export async function readVodFile(storage: ArchiveStorage, path: string): Promise<VodFile | null> {
  const match = VOD_FILE.exec(path);
  if (!match || !RECORDING_ID.test(match[1]!)) return null;
  const [, recordingId, file] = match as unknown as [string, string, string];
  if (file !== RECORDING_PLAYLIST) {
    const opened = await storage.open(path);
    return opened && { contentType: file.endsWith(".ts") ? "video/mp2t" : "image/jpeg", ...opened };
  }
  const finished = await storage.readText(`${recordingId}/${RECORDING_PLAYLIST}`);
  if (finished !== null) return { contentType: M3U8, text: finished };
  const parts = (await storage.list(recordingId))
    .flatMap((entry) => (entry.isFolder && PART_FOLDER.test(entry.name) ? [entry.name] : []))
    .sort((a, b) => partNumber(a) - partNumber(b));
  if (parts.length === 0) return null;
  const playlists = [];
  for (const dir of parts) {
    const text = await storage.readText(`${recordingId}/${dir}/${PART_PLAYLIST}`);
    if (text !== null) playlists.push({ dir, playlist: parseMediaPlaylist(text) });
  }
  return { contentType: M3U8, text: composeRecordingPlaylist(playlists, { isFinished: false }) };
}

function partNumber(folder: string): number {
  return Number(PART_FOLDER.exec(folder)![1]);
}
