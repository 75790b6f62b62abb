import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbBroadcastStore } from "../live-state/db-broadcast-store.ts";
import {
  codecsOf,
  getStream,
  killAllTestProcesses,
  openFlv,
  probe,
  publishTestStream,
  runProcess,
  seedPublisher,
  startTestMediaNode,
  waitFor,
  type FlvViewer,
  type TestMediaNode,
  type TestPublisher,
} from "../testing/index.ts";

const testDb = useTestDb();

describe("a stream published with the channel's key plays on every protocol", () => {
  let media: TestMediaNode;
  let publisher: TestPublisher;
  let seed: Awaited<ReturnType<typeof seedPublisher>>;
  const viewers: FlvViewer[] = [];

  beforeAll(async () => {
    media = await startTestMediaNode({ store: dbBroadcastStore(testDb.db(), "playback-node") });
    seed = await seedPublisher(testDb.db());
    publisher = publishTestStream(media.rtmpUrl(`live/${seed.streamKey}`));
    await waitFor(async () => (await getStream(media, seed.channel.name))?.health.video.codec, {
      timeoutMs: 15_000,
      message: "the stream to be live",
    });
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await publisher?.kill();
    await media?.close();
    await killAllTestProcesses();
  });

  it("RTMP play: h264 320x240 + aac", async () => {
    const result = await probe(media.rtmpUrl(`live/${seed.channel.name}`));
    expect(result.ok, result.ok ? "" : result.stderr).toBe(true);
    expect(codecsOf(result)).toEqual({ video: ["h264"], audio: ["aac"] });
    const video = result.ok ? result.streams.find((stream) => stream.codec_type === "video") : undefined;
    expect([video?.width, video?.height]).toEqual([320, 240]);
    expect(video?.pix_fmt).toBe("yuv420p");
  });

  it("HTTP-FLV: h264 + aac", async () => {
    const result = await probe(media.httpUrl(`/live/${seed.channel.name}.flv`));
    expect(result.ok, result.ok ? "" : result.stderr).toBe(true);
    expect(codecsOf(result)).toEqual({ video: ["h264"], audio: ["aac"] });
  });

  it("WS-FLV: the bytes are an FLV stream ffprobe reads as h264 + aac", async () => {
    const viewer = await openFlv(media.wsUrl(`/live/${seed.channel.name}.flv`), { keepBytes: true });
    viewers.push(viewer);
    expect(viewer.status).toBe(101);
    await viewer.until((v) => v.videoTimestamps().length >= 45, 10_000, "1.5 s of WS-FLV video");
    viewer.close();
    expect(viewer.parseError).toBeNull();
    expect(viewer.bytes.subarray(0, 3).toString("latin1")).toBe("FLV");
    const kinds = viewer.tags.map((tag) => tag.kind);
    expect(kinds).toContain("video-header");
    expect(kinds).toContain("audio-header");
    const videoHeader = viewer.tags.find((tag) => tag.kind === "video-header")!;
    const audioHeader = viewer.tags.find((tag) => tag.kind === "audio-header")!;
    expect(videoHeader.body[0]! & 0x0f).toBe(7); // AVC
    expect(audioHeader.body[0]! >> 4).toBe(10); // AAC
    const result = await probe(viewer.bytes);
    expect(result.ok, result.ok ? "" : result.stderr).toBe(true);
    expect(codecsOf(result)).toEqual({ video: ["h264"], audio: ["aac"] });
  });

  it("HLS: a playlist with ≤ 2 s segments that ffprobe reads as h264 + aac", async () => {
    const url = media.httpUrl(`/hls/${seed.channel.name}/index.m3u8`);
    const playlist = await waitFor(
      async () => {
        const response = await fetch(url);
        const text = await response.text();
        return response.status === 200 && (text.match(/\.ts/g) ?? []).length >= 2 ? text : null;
      },
      { timeoutMs: 20_000, intervalMs: 250, message: "an HLS playlist with two segments" },
    );
    const targetDuration = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(playlist)?.[1]);
    expect(targetDuration).toBeGreaterThanOrEqual(1);
    expect(targetDuration).toBeLessThanOrEqual(2);
    const durations = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((match) => Number(match[1]));
    for (const duration of durations) expect(duration).toBeLessThanOrEqual(2.1);
    const result = await probe(url);
    expect(result.ok, result.ok ? "" : result.stderr).toBe(true);
    expect(codecsOf(result)).toEqual({ video: ["h264"], audio: ["aac"] });
  });

  it("the database has an open Broadcast and the channel is live", async () => {
    const db = testDb.db();
    const broadcasts = await db.broadcast.findMany({ where: { channelId: seed.channel.id } });
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]!.endedAt).toBeNull();
    expect(broadcasts[0]!.originNode).toBe("playback-node");
    const channel = await db.channel.findUniqueOrThrow({ where: { id: seed.channel.id } });
    expect(channel.liveState).toBe("live");
  });

  it("the stream API reports health and the viewers open on each protocol", async () => {
    const open = await Promise.all([
      openFlv(media.httpUrl(`/live/${seed.channel.name}.flv`)),
      openFlv(media.httpUrl(`/live/${seed.channel.name}.flv`)),
      openFlv(media.wsUrl(`/live/${seed.channel.name}.flv`)),
    ]);
    viewers.push(...open);
    const rtmpViewer = runProcess("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-nostdin"],
      ...["-i", media.rtmpUrl(`live/${seed.channel.name}`), "-c", "copy", "-f", "null", "-"],
    ]);
    // HLS has no connection: a client counts while it keeps fetching the playlist. ffprobe did, above,
    // from this address; another fetch from it, whatever its User-Agent, is the same client.
    const playlist = await fetch(media.httpUrl(`/hls/${seed.channel.name}/index.m3u8`), {
      headers: { "user-agent": "playback-test-hls-player" },
    });
    expect(playlist.status).toBe(200);
    await playlist.text();
    const described = await waitFor(
      async () => {
        const stream = await getStream(media, seed.channel.name);
        return stream?.viewers["http-flv"] === 2 &&
          stream.viewers["ws-flv"] === 1 &&
          stream.viewers.rtmp === 1
          ? stream
          : null;
      },
      { timeoutMs: 10_000, message: "the viewer counts" },
    );
    expect(described.state).toBe("live");
    // The HLS packager's own tap is not an audience.
    expect(described.viewers).toEqual({ "http-flv": 2, "ws-flv": 1, rtmp: 1, hls: 1, total: 5 });
    await rtmpViewer.kill();
    const { health } = described;
    expect(health.video.codec).toBe("H.264");
    expect([health.video.width, health.video.height]).toEqual([320, 240]);
    expect(health.video.fps).toBeGreaterThan(25);
    expect(health.video.fps).toBeLessThan(35);
    expect(health.audio.codec).toBe("AAC");
    expect(health.ingestKbps).toBeGreaterThan(0);
    expect(health.keyframeIntervalMs).toBeGreaterThanOrEqual(900);
    expect(health.keyframeIntervalMs).toBeLessThanOrEqual(1100);
    for (const viewer of open) viewer.close();
    await waitFor(
      async () => {
        const stream = await getStream(media, seed.channel.name);
        return (
          stream?.viewers["http-flv"] === 0 && stream.viewers["ws-flv"] === 0 && stream.viewers.rtmp === 0
        );
      },
      {
        timeoutMs: 5_000,
        message: "closed viewers to be uncounted",
      },
    );
  });
});
