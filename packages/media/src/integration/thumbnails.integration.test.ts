import { readdir } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  Cleanup,
  getMetrics,
  getStream,
  killAllTestProcesses,
  memoryBroadcastStore,
  metricValue,
  probe,
  publishTestStream,
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

const CHANNEL = "thumbnail_test";
const INTERVAL_MS = 1_500;
const NO_VIEWERS = { "http-flv": 0, "ws-flv": 0, rtmp: 0, hls: 0, total: 0 };

async function startNode() {
  const streamKey = testStreamKey();
  const { store } = memoryBroadcastStore({ [streamKey]: CHANNEL });
  const media = cleanup.defer(await startTestMediaNode({ store, thumbnailIntervalMs: INTERVAL_MS }), (node) =>
    node.close(),
  );
  const publish = async (options: PublishTestStreamOptions) => {
    const publisher = cleanup.defer(publishTestStream(media.rtmpUrl(`live/${streamKey}`), options), (p) =>
      p.kill(),
    );
    await waitFor(async () => (await getStream(media, CHANNEL))?.health.video.codec, {
      timeoutMs: 15_000,
      message: "the stream to be live",
    });
    return publisher;
  };
  return { media, publish };
}

/** GET /thumbnails/<channel>.jpg: the response and its body. */
async function getThumbnail(media: TestMediaNode) {
  const response = await fetch(media.httpUrl(`/thumbnails/${CHANNEL}.jpg`));
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

/** The first thumbnail of a stream that just went live: it comes within a few seconds. */
async function firstThumbnail(media: TestMediaNode) {
  return waitFor(
    async () => {
      const thumbnail = await getThumbnail(media);
      return thumbnail.response.status === 200 ? thumbnail : null;
    },
    { timeoutMs: 5_000, intervalMs: 100, message: "the first thumbnail" },
  );
}

async function probeVideo(media: TestMediaNode) {
  const result = await probe(media.httpUrl(`/thumbnails/${CHANNEL}.jpg`));
  expect(result.ok, result.ok ? "" : result.stderr).toBe(true);
  return result.ok ? result.streams.find((stream) => stream.codec_type === "video") : undefined;
}

describe("live thumbnails", () => {
  it("a live channel has a 360p JPEG thumbnail refreshed from its stream, and none once it ends", async () => {
    const { media, publish } = await startNode();
    expect((await getThumbnail(media)).response.status).toBe(404);

    const publisher = await publish({ size: "640x480" });
    const first = await firstThumbnail(media);
    expect(first.response.headers.get("content-type")).toBe("image/jpeg");
    expect(first.response.headers.get("cache-control")).toBe("no-cache");
    expect(first.response.headers.get("access-control-allow-origin")).toBe("*");
    expect([...first.body.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...first.body.subarray(-2)]).toEqual([0xff, 0xd9]);
    // Scaled down to 360 lines, same aspect.
    const video = await probeVideo(media);
    expect([video?.codec_name, video?.width, video?.height]).toEqual(["mjpeg", 480, 360]);

    // testsrc shows a running counter: the next grab is a different picture. Meanwhile the grabber's
    // taps are not counted as viewers.
    const viewerCounts: object[] = [];
    await waitFor(
      async () => {
        viewerCounts.push((await getStream(media, CHANNEL))!.viewers);
        const { response, body } = await getThumbnail(media);
        return response.status === 200 && !body.equals(first.body);
      },
      { timeoutMs: INTERVAL_MS + 5_000, intervalMs: 20, message: "a new thumbnail" },
    );
    expect(viewerCounts.length).toBeGreaterThan(10);
    for (const viewers of viewerCounts) expect(viewers).toEqual(NO_VIEWERS);
    const metrics = await getMetrics(media);
    expect(metricValue(metrics, "relaycast_media_viewers", { protocol: "thumbnail" })).toBeUndefined();
    expect(
      metricValue(metrics, "relaycast_media_bytes_out_total", { protocol: "thumbnail" }),
    ).toBeGreaterThan(0);

    await publisher.kill();
    await waitFor(async () => (await getStream(media, CHANNEL)) === null, {
      timeoutMs: 5_000,
      message: "the broadcast to end after the grace period",
    });
    expect((await getThumbnail(media)).response.status).toBe(404);
    await waitFor(async () => (await readdir(media.thumbnailDir)).length === 0, {
      timeoutMs: 2_000,
      message: "the thumbnail file to be deleted",
    });
  });

  it("a stream under 360 lines keeps its size", async () => {
    const { media, publish } = await startNode();
    await publish({ size: "320x240" });
    await firstThumbnail(media);
    const video = await probeVideo(media);
    expect([video?.codec_name, video?.width, video?.height]).toEqual(["mjpeg", 320, 240]);
  });
});
