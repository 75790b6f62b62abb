import { mediaNodeUrl } from "@relaycast/media/api";

/** One way to play a live channel; the player picks the first its browser supports. */
export type TPlaySource = {
  kind: "ws-flv" | "http-flv" | "hls";
  /** The MIME type video.js selects a playback path by. */
  type: "video/x-flv" | "application/x-mpegURL";
  src: string;
};

/** The playback URLs of a channel on a media node, by channel name only (never by stream key). */
export function playSourcesFor(channelName: string, mediaPublicUrl: string): TPlaySource[] {
  const name = encodeURIComponent(channelName);
  const flv = `/live/${name}.flv`;
  return [
    { kind: "ws-flv", type: "video/x-flv", src: mediaNodeUrl(mediaPublicUrl, flv, { webSocket: true }) },
    { kind: "http-flv", type: "video/x-flv", src: mediaNodeUrl(mediaPublicUrl, flv) },
    {
      kind: "hls",
      type: "application/x-mpegURL",
      src: mediaNodeUrl(mediaPublicUrl, `/hls/${name}/index.m3u8`),
    },
  ];
}

export function thumbnailUrlFor(channelName: string, mediaPublicUrl: string): string {
  return mediaNodeUrl(mediaPublicUrl, `/thumbnails/${encodeURIComponent(channelName)}.jpg`);
}
