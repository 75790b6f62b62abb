/** One way to play a live channel; the player picks the first its browser supports. */
export type TPlaySource = {
  kind: "ws-flv" | "http-flv" | "hls";
  /** The MIME type video.js selects a playback path by. */
  type: "video/x-flv" | "application/x-mpegURL";
  src: string;
};

/** The playback URLs of a channel on a media node, by channel name only (never by stream key). */
export function playSourcesFor(channelName: string, mediaPublicUrl: string): TPlaySource[] {
  const http = new URL(mediaPublicUrl);
  const ws = new URL(mediaPublicUrl);
  ws.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  const name = encodeURIComponent(channelName);
  return [
    { kind: "ws-flv", type: "video/x-flv", src: new URL(`/live/${name}.flv`, ws).href },
    { kind: "http-flv", type: "video/x-flv", src: new URL(`/live/${name}.flv`, http).href },
    { kind: "hls", type: "application/x-mpegURL", src: new URL(`/hls/${name}/index.m3u8`, http).href },
  ];
}

export function thumbnailUrlFor(channelName: string, mediaPublicUrl: string): string {
  return new URL(`/thumbnails/${encodeURIComponent(channelName)}.jpg`, mediaPublicUrl).href;
}
