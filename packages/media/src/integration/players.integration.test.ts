import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAG_TYPE } from "../flv/media-tag.ts";
import { parseRtmpSession } from "../fuzz/rtmp-session.ts";
import {
  RawRtmpClient,
  getStream,
  rtmpCommand,
  killAllTestProcesses,
  memoryBroadcastStore,
  playWithGstreamer,
  playWithMpv,
  publishTestStream,
  startTestMediaNode,
  testStreamKey,
  waitFor,
  type TestMediaNode,
  type TestPublisher,
} from "../testing/index.ts";

/**
 * Players other than ffmpeg, on every protocol: GStreamer (rtmp2src, souphttpsrc ! flvdemux,
 * hlsdemux), as restreaming and production pipelines use it, and mpv. Debian packages:
 * gstreamer1.0-tools, gstreamer1.0-plugins-good, gstreamer1.0-plugins-bad, gstreamer1.0-libav, mpv.
 */
const CHANNEL = "players";
const streamKey = testStreamKey();
const FRAMES = 30;
const DECODE = "h264parse ! avdec_h264 ! fakesink name=video silent=false sync=false";

let media: TestMediaNode;
let publisher: TestPublisher;

beforeAll(async () => {
  media = await startTestMediaNode({ store: memoryBroadcastStore({ [streamKey]: CHANNEL }).store });
  publisher = publishTestStream(media.rtmpUrl(`live/${streamKey}`));
  await waitFor(async () => (await getStream(media, CHANNEL))?.health.video.codec, {
    timeoutMs: 15_000,
    message: "the stream to be live",
  });
  await waitFor(async () => (await fetch(media.httpUrl(`/hls/${CHANNEL}/index.m3u8`))).status === 200, {
    timeoutMs: 15_000,
    message: "the HLS playlist",
  });
});

afterAll(async () => {
  await publisher?.kill();
  await media?.close();
  await killAllTestProcesses();
});

describe("GStreamer plays every protocol", () => {
  it("RTMP with rtmp2src: media on the message stream the player created", async () => {
    const played = await playWithGstreamer(
      `rtmp2src location=${media.rtmpUrl(`live/${CHANNEL}`)} ! flvdemux name=demux demux.video ! queue ! ${DECODE}`,
      FRAMES,
    );
    expect(played.frames, played.output).toBeGreaterThanOrEqual(FRAMES);
  });

  it("HTTP-FLV with souphttpsrc ! flvdemux", async () => {
    const played = await playWithGstreamer(
      `souphttpsrc location=${media.httpUrl(`/live/${CHANNEL}.flv`)} ! flvdemux name=demux demux.video ! queue ! ${DECODE}`,
      FRAMES,
    );
    expect(played.frames, played.output).toBeGreaterThanOrEqual(FRAMES);
  });

  it("HLS with hlsdemux", async () => {
    const played = await playWithGstreamer(
      `souphttpsrc location=${media.httpUrl(`/hls/${CHANNEL}/index.m3u8`)} ! hlsdemux ! tsdemux ! ${DECODE}`,
      FRAMES,
    );
    expect(played.frames, played.output).toBeGreaterThanOrEqual(FRAMES);
  });
});

describe("RTMP players on any message stream", () => {
  it("a player that plays on its second stream gets every media message on that stream", async () => {
    const player = new RawRtmpClient(media.ports.rtmp);
    try {
      await player.handshake();
      await player.connectApp(media.ports.rtmp);
      player.send(rtmpCommand("createStream", 3, null));
      player.send({ ...rtmpCommand("play", 4, null, CHANNEL, -2000), csid: 8, streamId: 2 });
      await player.waitFor("NetStream.Play.Start");
      await waitFor(() => player.receivedBytes > 50_000, { timeoutMs: 5_000, message: "media" });
      const messages = parseRtmpSession(player.received).messages.filter(
        (message) => message.type === TAG_TYPE.video || message.type === TAG_TYPE.audio,
      );
      expect(messages.length).toBeGreaterThan(10);
      expect(new Set(messages.map((message) => message.streamId))).toEqual(new Set([2]));
    } finally {
      player.destroy();
    }
  });
});

describe("mpv plays every protocol it has (RTMP, HTTP-FLV, HLS; it has no WebSocket)", () => {
  for (const [protocol, path] of [
    ["RTMP", "rtmp"],
    ["HTTP-FLV", `/live/${CHANNEL}.flv`],
    ["HLS", `/hls/${CHANNEL}/index.m3u8`],
  ] as const) {
    it(protocol, async () => {
      const url = path === "rtmp" ? media.rtmpUrl(`live/${CHANNEL}`) : media.httpUrl(path);
      const played = await playWithMpv(url, FRAMES);
      expect(played.frames, played.output).toBe(FRAMES);
    });
  }
});
