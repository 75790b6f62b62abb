import { describe, expect, it } from "vitest";
import { LiveStream } from "./live-stream.ts";
import { decideRtmpPlay } from "./rtmp-player.ts";

describe("decideRtmpPlay", () => {
  const stream = new LiveStream({
    channel: "alice",
    maxGopBytes: 1 << 20,
    maxGopMs: 10_000,
    flushIntervalMs: 20,
  });
  const find = async (name: string) => (name === "alice" ? stream : null);

  it("plays a live channel of the live application", async () => {
    expect((await decideRtmpPlay({ app: "live", name: "alice" }, find)).ok).toBe(true);
  });

  it("refuses another application or a channel that is not live, saying why", async () => {
    for (const request of [
      { app: "other", name: "alice" },
      { app: "live", name: "bob" },
    ]) {
      expect(await decideRtmpPlay(request, find)).toEqual({
        ok: false,
        description: "This channel is not live.",
      });
    }
    stream.end();
  });
});
