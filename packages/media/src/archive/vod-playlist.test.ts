import { describe, expect, it } from "vitest";
import { composeRecordingPlaylist, parseMediaPlaylist, playlistDurationMs } from "./vod-playlist.ts";

/** As ffmpeg's HLS muxer writes an EVENT playlist while it records. */
const RECORDING = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXTINF:4.000000,
seg-00000.ts
#EXTINF:4.033333,
seg-00001.ts
`;

describe("vod playlists", () => {
  it("reads a recording's segments and whether it has ended", () => {
    expect(parseMediaPlaylist(RECORDING)).toEqual({
      segments: [
        { uri: "seg-00000.ts", durationSeconds: 4 },
        { uri: "seg-00001.ts", durationSeconds: 4.033333 },
      ],
      isEnded: false,
    });
    expect(parseMediaPlaylist(`${RECORDING}#EXT-X-ENDLIST\n`).isEnded).toBe(true);
  });

  it("drops a duration cut off from its segment by a crash", () => {
    expect(parseMediaPlaylist(`${RECORDING}#EXTINF:2.5,`).segments).toHaveLength(2);
  });

  it("sums the duration of every part", () => {
    const part = parseMediaPlaylist(RECORDING);
    expect(playlistDurationMs([part, part])).toBe(16_067);
  });

  it("joins parts with a discontinuity between them: an EVENT playlist while recording, a VOD once finished", () => {
    const part = parseMediaPlaylist(RECORDING);
    const parts = [
      { dir: "part-1", playlist: part },
      { dir: "part-2", playlist: part },
    ];
    const live = composeRecordingPlaylist(parts, { isFinished: false });
    expect(live).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
    expect(live).not.toContain("#EXT-X-ENDLIST");
    const vod = composeRecordingPlaylist(parts, { isFinished: true });
    expect(vod.split("\n")).toEqual([
      "#EXTM3U",
      "#EXT-X-VERSION:3",
      "#EXT-X-TARGETDURATION:5",
      "#EXT-X-MEDIA-SEQUENCE:0",
      "#EXT-X-PLAYLIST-TYPE:VOD",
      "#EXT-X-INDEPENDENT-SEGMENTS",
      "#EXTINF:4.000000,",
      "part-1/seg-00000.ts",
      "#EXTINF:4.033333,",
      "part-1/seg-00001.ts",
      "#EXT-X-DISCONTINUITY",
      "#EXTINF:4.000000,",
      "part-2/seg-00000.ts",
      "#EXTINF:4.033333,",
      "part-2/seg-00001.ts",
      "#EXT-X-ENDLIST",
      "",
    ]);
  });
});
