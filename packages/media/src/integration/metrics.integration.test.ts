import { afterEach, describe, expect, it } from "vitest";
import {
  Cleanup,
  RawRtmpClient,
  getMetrics,
  getStream,
  killAllTestProcesses,
  memoryBroadcastStore,
  metricValue,
  openFlv,
  publishTestStream,
  sleep,
  startTestMediaNode,
  testStreamKey,
  waitFor,
  within,
} from "../testing/index.ts";

const cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.run();
  await killAllTestProcesses();
});

const CHANNEL = "metrics_test";

describe("/metrics", () => {
  it("serves Prometheus text: streams, viewers by protocol, bytes in and out, admissions by result", async () => {
    const streamKey = testStreamKey();
    const { store } = memoryBroadcastStore({ [streamKey]: CHANNEL });
    const media = cleanup.defer(await startTestMediaNode({ store }), (node) => node.close());

    const empty = await fetch(media.httpUrl("/metrics"));
    expect(empty.status).toBe(200);
    expect(empty.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const before = await empty.text();
    expect(before).toContain("# TYPE relaycast_media_streams gauge");
    expect(metricValue(before, "relaycast_media_streams")).toBe(0);
    // Process metrics come with the same prefix.
    expect(metricValue(before, "relaycast_media_process_resident_memory_bytes")).toBeGreaterThan(0);

    const refused = publishTestStream(media.rtmpUrl(`live/live_${"x".repeat(32)}`));
    expect((await within(refused.exited, 5_000, "the refused publisher")).code).not.toBe(0);
    const publisher = cleanup.defer(publishTestStream(media.rtmpUrl(`live/${streamKey}`)), (p) => p.kill());
    await waitFor(async () => (await getStream(media, CHANNEL))?.health.video.codec, {
      timeoutMs: 15_000,
      message: "the stream to be live",
    });

    const http = cleanup.defer(await openFlv(media.httpUrl(`/live/${CHANNEL}.flv`)), (v) => v.close());
    const ws = cleanup.defer(await openFlv(media.wsUrl(`/live/${CHANNEL}.flv`)), (v) => v.close());
    const rtmp = cleanup.defer(new RawRtmpClient(media.ports.rtmp), (client) => client.destroy());
    await rtmp.handshake();
    await rtmp.connectApp(media.ports.rtmp);
    rtmp.play(CHANNEL);
    await rtmp.waitFor("NetStream.Play.Start");
    await waitFor(
      async () =>
        (await fetch(media.httpUrl(`/hls/${CHANNEL}/index.m3u8`)).then((r) => r.text())).includes("#EXTM3U"),
      { timeoutMs: 15_000, intervalMs: 250, message: "the HLS playlist" },
    );
    await http.until((v) => v.videoTimestamps().length >= 30, 5_000, "HTTP-FLV video");
    await ws.until((v) => v.videoTimestamps().length >= 30, 5_000, "WS-FLV video");

    const live = await getMetrics(media);
    expect(live).toContain("# TYPE relaycast_media_viewers gauge");
    expect(metricValue(live, "relaycast_media_streams")).toBe(1);
    for (const protocol of ["http-flv", "ws-flv", "rtmp", "hls"]) {
      expect(metricValue(live, "relaycast_media_viewers", { protocol }), protocol).toBe(1);
      expect(metricValue(live, "relaycast_media_bytes_out_total", { protocol }), protocol).toBeGreaterThan(0);
    }
    expect(metricValue(live, "relaycast_media_publish_admissions_total", { result: "admitted" })).toBe(1);
    expect(metricValue(live, "relaycast_media_publish_admissions_total", { result: "refused-key" })).toBe(1);
    expect(metricValue(live, "relaycast_media_rtmp_connections")).toBe(2);
    const bytesIn = metricValue(live, "relaycast_media_bytes_in_total")!;
    expect(bytesIn).toBeGreaterThan(10_000);

    // Bytes out count what each viewer was sent: the HTTP-FLV viewer received about as much.
    await sleep(1_000);
    http.close();
    await sleep(200);
    const later = await getMetrics(media);
    const httpOut = metricValue(later, "relaycast_media_bytes_out_total", { protocol: "http-flv" })!;
    expect(httpOut).toBeGreaterThanOrEqual(http.byteCount);
    expect(httpOut - http.byteCount).toBeLessThan(256 * 1024);
    expect(metricValue(later, "relaycast_media_bytes_in_total")!).toBeGreaterThan(bytesIn + 10_000);
    expect(metricValue(later, "relaycast_media_viewers", { protocol: "http-flv" })).toBe(0);

    // When the stream ends, the gauges drop and the counters keep what was sent.
    await publisher.kill();
    await waitFor(async () => metricValue(await getMetrics(media), "relaycast_media_streams") === 0, {
      timeoutMs: 5_000,
      message: "the stream to end after the grace period",
    });
    const ended = await getMetrics(media);
    for (const protocol of ["http-flv", "ws-flv", "rtmp"]) {
      expect(metricValue(ended, "relaycast_media_viewers", { protocol }), protocol).toBe(0);
    }
    expect(metricValue(ended, "relaycast_media_bytes_out_total", { protocol: "http-flv" })).toBe(httpOut);
    expect(
      metricValue(ended, "relaycast_media_bytes_out_total", { protocol: "ws-flv" }),
    ).toBeGreaterThanOrEqual(metricValue(live, "relaycast_media_bytes_out_total", { protocol: "ws-flv" })!);
  });
});
