import { afterEach, describe, expect, it } from "vitest";
import type { ViewerLimits } from "../edge/viewer.ts";
import { DEFAULT_FANOUT } from "../media-node.ts";
import {
  Cleanup,
  StalledHttpViewer,
  getMetrics,
  getStream,
  killAllTestProcesses,
  liveBufferBytes,
  memoryBroadcastStore,
  metricValue,
  openFlv,
  publishTestStream,
  sleep,
  startTestMediaNode,
  testStreamKey,
  waitFor,
  type PublishTestStreamOptions,
  type TestMediaNode,
} from "../testing/index.ts";

const cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.run();
  await killAllTestProcesses();
});

const CHANNEL = "fanout_test";

async function startLive(viewerLimits: ViewerLimits, stream: PublishTestStreamOptions = {}) {
  const streamKey = testStreamKey();
  const { store } = memoryBroadcastStore({ [streamKey]: CHANNEL });
  const media = cleanup.defer(
    await startTestMediaNode({ store, fanout: { ...DEFAULT_FANOUT, viewerLimits } }),
    (node) => node.close(),
  );
  cleanup.defer(publishTestStream(media.rtmpUrl(`live/${streamKey}`), stream), (publisher) =>
    publisher.kill(),
  );
  await waitFor(async () => (await getStream(media, CHANNEL))?.health.video.codec, {
    timeoutMs: 15_000,
    message: "the stream to be live",
  });
  return media;
}

const counter = (metrics: string, name: string, protocol: string) =>
  metricValue(metrics, name, { protocol }) ?? 0;

/** Bytes the node handed to HTTP-FLV sinks so far. */
async function httpFlvBytesOut(media: TestMediaNode) {
  return counter(await getMetrics(media), "relaycast_media_bytes_out_total", "http-flv");
}

describe("fanout", () => {
  it("a new viewer starts at once on a keyframe, after the sequence headers (HTTP-FLV and WS-FLV)", async () => {
    const media = await startLive(DEFAULT_FANOUT.viewerLimits);
    // Join mid-GOP (keyframes come every second).
    await sleep(1_500);
    for (const url of [media.httpUrl(`/live/${CHANNEL}.flv`), media.wsUrl(`/live/${CHANNEL}.flv`)]) {
      const viewer = cleanup.defer(await openFlv(url), (v) => v.close());
      // From the answer (headers or WebSocket open), so that a slow connect on a busy machine does not count.
      const openedAt = Date.now();
      await viewer.until((v) => v.videoTimestamps().length >= 5, 5_000, `video from ${url}`);
      viewer.close();
      expect(viewer.parseError, url).toBeNull();
      const video = viewer.tags.filter((tag) => tag.type === 9);
      expect(video[0]?.kind, url).toBe("video-header");
      expect(video[0]!.body[0]).toBe(0x17); // keyframe | AVC
      expect(video[0]!.body[1]).toBe(0); // AVC sequence header
      expect(video[1]?.kind, url).toBe("keyframe");
      expect(video[1]!.body[0]).toBe(0x17);
      expect(video[1]!.body[1]).toBe(1); // AVC NALU
      // The AAC sequence header comes before any audio frame.
      const audio = viewer.tags.filter((tag) => tag.type === 8);
      expect(audio[0]?.kind, url).toBe("audio-header");
      // Nothing but metadata and headers before the keyframe.
      const beforeKeyframe = viewer.tags.slice(0, viewer.tags.indexOf(video[1]!)).map((tag) => tag.kind);
      expect(new Set(beforeKeyframe)).toEqual(new Set(["metadata", "audio-header", "video-header"]));
      // The keyframe is the cached GOP's, not the next one a second later.
      expect(video[1]!.receivedAt - openedAt, url).toBeLessThan(500);
    }
  });

  it("a viewer that stops reading holds bounded memory, and the others keep full rate", async () => {
    const limits: ViewerLimits = {
      maxBufferedBytes: 256 * 1024,
      maxQueueBytes: 1024 * 1024,
      maxQueueMs: 1_000,
      // Not dropped during this test: what is measured is what a stalled viewer costs while connected.
      maxBehindMs: 60_000,
    };
    const media = await startLive(limits, { noise: true });
    const normal = cleanup.defer(
      await openFlv(media.httpUrl(`/live/${CHANNEL}.flv`), { keepBodies: false }),
      (v) => v.close(),
    );
    await normal.until((v) => v.videoTimestamps().length >= 30, 5_000, "the normal viewer's video");
    const ingestKbps = (await getStream(media, CHANNEL))!.health.ingestKbps;
    expect(ingestKbps).toBeGreaterThan(4_000); // enough volume that an unbounded backlog would show

    const baseline = await liveBufferBytes();
    const startBytes = (await httpFlvBytesOut(media)) - normal.byteCount;
    const stalled = cleanup.defer(new StalledHttpViewer(media.ports.http, `/live/${CHANNEL}.flv`), (v) =>
      v.destroy(),
    );
    await stalled.connected;
    const startedAt = Date.now();
    const framesAtStart = normal.videoTimestamps().length;
    const samples: { atMs: number; queued: number; buffers: number; handedToStalled: number }[] = [];
    while (Date.now() - startedAt < 12_000) {
      await sleep(500);
      const metrics = await getMetrics(media);
      samples.push({
        atMs: Date.now() - startedAt,
        queued: metricValue(metrics, "relaycast_media_viewer_queue_bytes") ?? 0,
        buffers: (await liveBufferBytes()) - baseline,
        // What went to HTTP-FLV sinks beyond what the normal viewer received: the stalled socket's share.
        handedToStalled:
          counter(metrics, "relaycast_media_bytes_out_total", "http-flv") - normal.byteCount - startBytes,
      });
    }
    const elapsedMs = Date.now() - startedAt;
    const summary = JSON.stringify(samples.map((s) => [s.atMs, s.queued, s.buffers, s.handedToStalled]));

    // The node's per-viewer queue stays within its limit (plus one tag), all along.
    expect(Math.max(...samples.map((s) => s.queued)), summary).toBeLessThan(
      limits.maxQueueBytes + 256 * 1024,
    );
    // The stalled socket stops being written to once the kernel is full: no backlog grows in it.
    const middle = samples.find((s) => s.atMs >= 6_000)!;
    const last = samples.at(-1)!;
    expect(last.handedToStalled - middle.handedToStalled, summary).toBeLessThan(1024 * 1024);
    // And the process's live buffers stay flat, within the viewer's limits (queue + transport) and some
    // slack for the GOP cache, while the stream produced ~1 MB/s for 12 s. Without the transport limit
    // they grow by the stream's bitrate once the kernel's buffers are full.
    const bound = limits.maxQueueBytes + limits.maxBufferedBytes + 1.5 * 1024 * 1024;
    expect(Math.max(...samples.map((s) => s.buffers)), summary).toBeLessThan(bound);

    // The stalled viewer was skipped to keyframes, not dropped (maxBehindMs is a minute).
    const metrics = await getMetrics(media);
    expect(
      counter(metrics, "relaycast_media_viewer_keyframe_skips_total", "http-flv"),
    ).toBeGreaterThanOrEqual(1);
    expect(counter(metrics, "relaycast_media_viewers_dropped_total", "http-flv")).toBe(0);
    expect((await getStream(media, CHANNEL))!.viewers["http-flv"]).toBe(2);

    // Meanwhile the normal viewer got every frame in real time: 30 fps, no gap.
    const frames = normal.videoTimestamps().slice(framesAtStart);
    expect(frames.length).toBeGreaterThan(0.9 * 30 * (elapsedMs / 1000));
    const gaps = frames.slice(1).map((timestamp, index) => timestamp - frames[index]!);
    expect(Math.max(...gaps)).toBeLessThan(100);
    expect(normal.isClosed).toBe(false);
  });

  it("with a short maxBehindMs, a stalled viewer is dropped and counted; the others play on", async () => {
    const limits: ViewerLimits = {
      maxBufferedBytes: 64 * 1024,
      maxQueueBytes: 1024 * 1024,
      maxQueueMs: 1_000,
      maxBehindMs: 1_000,
    };
    const media = await startLive(limits, { noise: true });
    const normal = cleanup.defer(
      await openFlv(media.httpUrl(`/live/${CHANNEL}.flv`), { keepBodies: false }),
      (v) => v.close(),
    );
    await normal.until((v) => v.videoTimestamps().length >= 30, 5_000, "the normal viewer's video");
    const stalled = cleanup.defer(new StalledHttpViewer(media.ports.http, `/live/${CHANNEL}.flv`), (v) =>
      v.destroy(),
    );
    await stalled.connected;
    await waitFor(async () => (await getStream(media, CHANNEL))?.viewers["http-flv"] === 2, {
      timeoutMs: 2_000,
      message: "both viewers to be counted",
    });
    const framesAtStall = normal.videoTimestamps().length;
    const stalledAt = Date.now();

    await waitFor(async () => (await getStream(media, CHANNEL))?.viewers["http-flv"] === 1, {
      timeoutMs: 12_000,
      intervalMs: 200,
      message: "the stalled viewer to be dropped",
    });
    const metrics = await getMetrics(media);
    expect(counter(metrics, "relaycast_media_viewers_dropped_total", "http-flv")).toBe(1);
    // The server closed the stalled connection: after the data the kernel held, it reads EOF.
    expect(await stalled.drainAndCheckClosed()).toBe(true);

    // The normal viewer was never affected.
    const frames = normal.videoTimestamps().slice(framesAtStall);
    const elapsedMs = Date.now() - stalledAt;
    expect(normal.isClosed).toBe(false);
    expect(frames.length).toBeGreaterThan(0.9 * 30 * (elapsedMs / 1000) - 5);
  });
});
