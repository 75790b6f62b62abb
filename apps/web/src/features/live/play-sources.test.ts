import { describe, expect, it } from "vitest";
import { playSourcesFor, thumbnailUrlFor } from "./play-sources.ts";

describe("playSourcesFor", () => {
  it("lists low-latency WebSocket-FLV first, then HTTP-FLV, then HLS, by channel name", () => {
    expect(playSourcesFor("alice", "http://media.example:8000")).toEqual([
      { kind: "ws-flv", type: "video/x-flv", src: "ws://media.example:8000/live/alice.flv" },
      { kind: "http-flv", type: "video/x-flv", src: "http://media.example:8000/live/alice.flv" },
      { kind: "hls", type: "application/x-mpegURL", src: "http://media.example:8000/hls/alice/index.m3u8" },
    ]);
  });

  it("uses secure WebSockets behind https", () => {
    expect(playSourcesFor("alice", "https://media.example")[0]!.src).toBe(
      "wss://media.example/live/alice.flv",
    );
  });

  it("keeps the path prefix of a node behind a path-routing proxy", () => {
    expect(playSourcesFor("alice", "https://tv.example/media/edge-1").map((source) => source.src)).toEqual([
      "wss://tv.example/media/edge-1/live/alice.flv",
      "https://tv.example/media/edge-1/live/alice.flv",
      "https://tv.example/media/edge-1/hls/alice/index.m3u8",
    ]);
    expect(thumbnailUrlFor("alice", "https://tv.example/media/origin-1/")).toBe(
      "https://tv.example/media/origin-1/thumbnails/alice.jpg",
    );
  });

  it("builds the thumbnail URL on the media node", () => {
    expect(thumbnailUrlFor("alice", "http://127.0.0.1:8000")).toBe(
      "http://127.0.0.1:8000/thumbnails/alice.jpg",
    );
  });
});
