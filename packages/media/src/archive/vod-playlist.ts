/** A segment of an HLS media playlist: its URI (relative to the playlist) and duration. */
export type PlaylistSegment = { uri: string; durationSeconds: number };

/** What a recording part's playlist (ffmpeg's HLS muxer, EVENT type) says, as far as the archive reads it. */
export type MediaPlaylist = { segments: PlaylistSegment[]; isEnded: boolean };

/**
 * Reads an HLS media playlist: its segments in order and whether it is ended. Lenient, as the
 * playlist of a recorder that was killed may be: tags it does not know are skipped, and a duration
 * line without a URI after it (a cut-off write) is dropped.
 */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const segments: PlaylistSegment[] = [];
  let isEnded = false;
  let pendingDuration: number | null = null;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line === "") continue;
    if (line.startsWith("#EXTINF:")) {
      const seconds = Number.parseFloat(line.slice("#EXTINF:".length));
      pendingDuration = Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
    } else if (line === "#EXT-X-ENDLIST") {
      isEnded = true;
    } else if (!line.startsWith("#") && pendingDuration !== null) {
      segments.push({ uri: line, durationSeconds: pendingDuration });
      pendingDuration = null;
    }
  }
  return { segments, isEnded };
}

/** Total duration of the segments, in milliseconds. */
export function playlistDurationMs(playlists: MediaPlaylist[]): number {
  let seconds = 0;
  for (const playlist of playlists)
    for (const segment of playlist.segments) seconds += segment.durationSeconds;
  return Math.round(seconds * 1000);
}

/**
 * One playlist over a recording's parts, in order: each part's segments under its folder, with a
 * discontinuity where a part begins (its timestamps start again: the channel moved to another
 * origin). While the recording goes on it is an EVENT playlist (players can seek back to the start,
 * and follow the live end); once it is finished it is a VOD playlist with an end.
 */
export function composeRecordingPlaylist(
  parts: { dir: string; playlist: MediaPlaylist }[],
  { isFinished }: { isFinished: boolean },
): string {
  const longest = Math.max(
    1,
    ...parts.flatMap((part) => part.playlist.segments.map((each) => each.durationSeconds)),
  );
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${Math.ceil(longest)}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    `#EXT-X-PLAYLIST-TYPE:${isFinished ? "VOD" : "EVENT"}`,
    "#EXT-X-INDEPENDENT-SEGMENTS",
  ];
  let isFirstSegment = true;
  for (const part of parts) {
    let isPartStart = true;
    for (const segment of part.playlist.segments) {
      if (isPartStart && !isFirstSegment) lines.push("#EXT-X-DISCONTINUITY");
      lines.push(`#EXTINF:${segment.durationSeconds.toFixed(6)},`, `${part.dir}/${segment.uri}`);
      isPartStart = false;
      isFirstSegment = false;
    }
  }
  if (isFinished) lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}
