import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { classifyTag } from "../flv/classify-tag.ts";
import { FlvParser } from "../flv/flv-parser.ts";
import { FLV_HEADER, serializeFlvTag } from "../flv/flv-tag.ts";
import { TAG_TYPE, type MediaTag, type TTagKind, type TTagType } from "../flv/media-tag.ts";
import { serializeRtmpMessage } from "../rtmp/rtmp-message.ts";
import { LiveStream, type LiveStreamOptions } from "./live-stream.ts";
import type { Viewer, ViewerLimits } from "./viewer.ts";
import { fakeSink, type FakeSink } from "../testing/fake-sink.ts";

const FLUSH_MS = 10;

function tag(type: TTagType, timestamp: number, body: Buffer): MediaTag {
  return { type, kind: classifyTag(type, body), timestamp, body };
}

const metadata = () =>
  tag(TAG_TYPE.script, 0, Buffer.from([0x02, 0x00, 0x0a, ...Buffer.from("onMetaData"), 0x05]));
const avcHeader = (timestamp = 0) => tag(TAG_TYPE.video, timestamp, Buffer.from([0x17, 0, 0, 0, 0, 1, 0x64]));
const aacHeader = (timestamp = 0) => tag(TAG_TYPE.audio, timestamp, Buffer.from([0xaf, 0x00, 0x12, 0x10]));
const keyframe = (timestamp: number, bytes = 64) =>
  tag(TAG_TYPE.video, timestamp, Buffer.concat([Buffer.from([0x17, 1, 0, 0, 0]), Buffer.alloc(bytes, 0x65)]));
const interframe = (timestamp: number, bytes = 32) =>
  tag(TAG_TYPE.video, timestamp, Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), Buffer.alloc(bytes, 0x41)]));
const aacFrame = (timestamp: number) => tag(TAG_TYPE.audio, timestamp, Buffer.from([0xaf, 0x01, 0x21, 0x10]));

/** What an FLV viewer received, parsed back into tags; also checks that it is a valid FLV stream. */
function received(sink: FakeSink): MediaTag[] {
  const bytes = Buffer.concat(sink.writes.flat());
  if (bytes.length === 0) return [];
  const result = new FlvParser().push(bytes);
  if (!result.ok) throw result.error;
  return result.tags;
}

const kinds = (tags: MediaTag[]): TTagKind[] => tags.map((parsed) => parsed.kind);

let streams: LiveStream[] = [];

function liveStream(options: Partial<LiveStreamOptions> = {}): LiveStream {
  const stream = new LiveStream({
    channel: "alice",
    maxGopBytes: 1024 * 1024,
    maxGopMs: 10_000,
    flushIntervalMs: FLUSH_MS,
    ...options,
  });
  streams.push(stream);
  return stream;
}

function tick(): void {
  vi.advanceTimersByTime(FLUSH_MS);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  for (const stream of streams) stream.end();
  streams = [];
  vi.useRealTimers();
});

describe("LiveStream", () => {
  it("starts a new viewer at the cached GOP, keyframe first, after the file header, metadata and sequence headers", () => {
    const stream = liveStream();
    const gop = [keyframe(40), aacFrame(50), interframe(80), aacFrame(73), interframe(120)];
    for (const pushed of [metadata(), aacHeader(), avcHeader(), interframe(0), ...gop]) stream.push(pushed);
    const sink = fakeSink();
    stream.addViewer("http-flv", "flv", sink);
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]![0]).toBe(FLV_HEADER);
    expect(kinds(received(sink))).toEqual([
      "metadata",
      "audio-header",
      "video-header",
      "keyframe",
      "audio",
      "interframe",
      "audio",
      "interframe",
    ]);
    expect(received(sink).slice(3)).toEqual(gop);
  });

  it("starts a new viewer on a cached GOP longer than the viewer's queue time limit (OBS's 8 s keyframes)", () => {
    const skipped: string[] = [];
    const stream = liveStream({ events: { viewerSkipped: (viewer) => skipped.push(viewer.protocol) } });
    for (const pushed of [aacHeader(), avcHeader()]) stream.push(pushed);
    const gop = [keyframe(0)];
    for (let timestamp = 33; timestamp <= 8_000; timestamp += 33) gop.push(interframe(timestamp));
    for (const pushed of gop) stream.push(pushed);
    const sink = fakeSink();
    stream.addViewer("http-flv", "flv", sink);
    expect(skipped).toEqual([]);
    expect(received(sink).slice(2)).toEqual(gop);
  });

  it("gives an RTMP viewer the same GOP start as RTMP messages, without the FLV file header", () => {
    const stream = liveStream();
    const pushed = [metadata(), avcHeader(), aacHeader(), keyframe(0), interframe(40)];
    for (const each of pushed) stream.push(each);
    const sink = fakeSink();
    stream.addViewer("rtmp", "rtmp", sink);
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]).toEqual([
      serializeRtmpMessage(pushed[0]!),
      serializeRtmpMessage(pushed[2]!),
      serializeRtmpMessage(pushed[1]!),
      serializeRtmpMessage(pushed[3]!),
      serializeRtmpMessage(pushed[4]!),
    ]);
  });

  it("makes a viewer that joins before any keyframe wait for one", () => {
    const stream = liveStream();
    stream.push(metadata());
    stream.push(avcHeader());
    stream.push(aacHeader());
    const sink = fakeSink();
    stream.addViewer("ws-flv", "flv", sink);
    stream.push(aacFrame(0));
    tick();
    expect(sink.writes).toEqual([]);

    stream.push(keyframe(40));
    stream.push(interframe(80));
    tick();
    expect(sink.writes).toHaveLength(1);
    expect(kinds(received(sink))).toEqual([
      "metadata",
      "audio-header",
      "video-header",
      "keyframe",
      "interframe",
    ]);
  });

  it("writes the tags pushed during a tick as one batch per viewer", () => {
    const stream = liveStream();
    stream.push(keyframe(0));
    const sink = fakeSink();
    stream.addViewer("http-flv", "flv", sink);
    stream.push(interframe(40));
    stream.push(aacFrame(41));
    stream.push(interframe(80));
    expect(sink.writes).toHaveLength(1);
    tick();
    expect(sink.writes).toHaveLength(2);
    expect(sink.writes[1]).toHaveLength(3);
    tick();
    expect(sink.writes).toHaveLength(2);
  });

  it("drops the cached GOP past maxGopBytes, so new viewers wait for the next keyframe", () => {
    const stream = liveStream({ maxGopBytes: 1_000 });
    stream.push(avcHeader());
    stream.push(keyframe(0, 400));
    stream.push(interframe(40, 300));
    const early = fakeSink();
    stream.addViewer("http-flv", "flv", early);
    expect(kinds(received(early))).toEqual(["video-header", "keyframe", "interframe"]);

    stream.push(interframe(80, 400));
    const late = fakeSink();
    stream.addViewer("http-flv", "flv", late);
    expect(late.writes).toEqual([]);
    stream.push(interframe(120));
    tick();
    expect(late.writes).toEqual([]);

    stream.push(keyframe(160));
    tick();
    expect(kinds(received(late))).toEqual(["video-header", "keyframe"]);
    expect(kinds(received(early))).toEqual([
      "video-header",
      "keyframe",
      "interframe",
      "interframe",
      "interframe",
      "keyframe",
    ]);
  });

  it("drops the cached GOP past maxGopMs, so new viewers wait for the next keyframe", () => {
    const stream = liveStream({ maxGopMs: 1_000 });
    stream.push(keyframe(5_000));
    stream.push(interframe(6_000));
    const early = fakeSink();
    stream.addViewer("http-flv", "flv", early);
    expect(kinds(received(early))).toEqual(["keyframe", "interframe"]);

    stream.push(interframe(6_001));
    const late = fakeSink();
    stream.addViewer("http-flv", "flv", late);
    expect(late.writes).toEqual([]);
    stream.push(keyframe(7_000));
    tick();
    expect(kinds(received(late))).toEqual(["keyframe"]);
  });

  it("shares the same Buffer objects between viewers of the same format", () => {
    const stream = liveStream();
    stream.push(metadata());
    stream.push(avcHeader());
    stream.push(keyframe(0));
    const flvA = fakeSink();
    const flvB = fakeSink();
    const rtmpA = fakeSink();
    const rtmpB = fakeSink();
    stream.addViewer("http-flv", "flv", flvA);
    stream.addViewer("ws-flv", "flv", flvB);
    stream.addViewer("rtmp", "rtmp", rtmpA);
    stream.addViewer("hls", "rtmp", rtmpB);
    for (let frame = 1; frame < 10; frame += 1) stream.push(interframe(frame * 40));
    tick();

    const flvBuffers = [flvA.writes.flat(), flvB.writes.flat()];
    const rtmpBuffers = [rtmpA.writes.flat(), rtmpB.writes.flat()];
    expect(flvBuffers[0]).toHaveLength(13);
    expect(flvBuffers[1]).toHaveLength(13);
    flvBuffers[0]!.forEach((buffer, index) => expect(flvBuffers[1]![index]).toBe(buffer));
    expect(rtmpBuffers[0]).toHaveLength(12);
    rtmpBuffers[0]!.forEach((buffer, index) => expect(rtmpBuffers[1]![index]).toBe(buffer));
    expect(flvBuffers[0]![1]).not.toBe(rtmpBuffers[0]![0]);
  });

  it("continues timestamps monotonically when a replacing publisher restarts its clock at 0", () => {
    const stream = liveStream();
    for (const pushed of [metadata(), avcHeader(), aacHeader()]) stream.push(pushed);
    stream.push(keyframe(0));
    const sink = fakeSink();
    stream.addViewer("http-flv", "flv", sink);
    for (let timestamp = 20; timestamp <= 1_000; timestamp += 20)
      stream.push(timestamp % 40 === 0 ? interframe(timestamp) : aacFrame(timestamp));

    stream.publisherReplaced();
    for (const pushed of [metadata(), avcHeader(), aacHeader()]) stream.push(pushed);
    stream.push(keyframe(0));
    for (let timestamp = 20; timestamp <= 1_000; timestamp += 20)
      stream.push(timestamp % 40 === 0 ? interframe(timestamp) : aacFrame(timestamp));
    tick();

    const frames = received(sink).filter((parsed) =>
      ["keyframe", "interframe", "audio"].includes(parsed.kind),
    );
    const timestamps = frames.map((frame) => frame.timestamp);
    for (let index = 1; index < timestamps.length; index += 1)
      expect(timestamps[index]).toBeGreaterThan(timestamps[index - 1]!);
    const restart = frames.findIndex((frame, index) => index > 0 && frame.kind === "keyframe");
    expect(timestamps[restart]).toBe(1_001);
    expect(timestamps.at(-1)).toBe(2_001);
  });

  it("never sends a viewer back in time, not even with a replacing publisher's headers", () => {
    const stream = liveStream();
    for (const pushed of [metadata(), avcHeader(), aacHeader(), keyframe(0)]) stream.push(pushed);
    const sink = fakeSink();
    stream.addViewer("rtmp", "flv", sink);
    stream.push(interframe(500));
    stream.publisherReplaced();
    for (const pushed of [metadata(), avcHeader(), aacHeader(), keyframe(0), interframe(40)])
      stream.push(pushed);
    tick();
    const timestamps = received(sink).map((parsed) => parsed.timestamp);
    for (let index = 1; index < timestamps.length; index += 1)
      expect(timestamps[index]).toBeGreaterThanOrEqual(timestamps[index - 1]!);
  });

  it("keeps offsetting across two publisher restarts", () => {
    const stream = liveStream();
    stream.push(keyframe(0));
    const sink = fakeSink();
    stream.addViewer("http-flv", "flv", sink);
    stream.push(interframe(500));
    stream.publisherReplaced();
    stream.push(keyframe(0));
    stream.push(interframe(500));
    stream.publisherReplaced();
    stream.push(keyframe(0));
    stream.push(interframe(500));
    tick();
    expect(received(sink).map((parsed) => parsed.timestamp)).toEqual([0, 500, 501, 1_001, 1_002, 1_502]);
  });

  it("does not offset a replacing publisher whose clock continues", () => {
    const stream = liveStream();
    stream.push(keyframe(0));
    const sink = fakeSink();
    stream.addViewer("http-flv", "flv", sink);
    stream.push(interframe(500));
    stream.publisherReplaced();
    stream.push(keyframe(3_000));
    tick();
    expect(received(sink).map((parsed) => parsed.timestamp)).toEqual([0, 500, 3_000]);
  });

  it("survives a publisher whose keyframe is stamped near 2^32, then a reconnect, without a timestamp past 32 bits", () => {
    const stream = liveStream();
    const sink = fakeSink();
    stream.push(avcHeader());
    stream.push(keyframe(0xffff_ff00));
    stream.addViewer("rtmp", "rtmp", fakeSink());
    stream.addViewer("http-flv", "flv", sink);
    stream.publisherReplaced();
    stream.push(keyframe(0));
    for (let timestamp = 40; timestamp <= 2_000; timestamp += 40) stream.push(interframe(timestamp));
    tick();
    const timestamps = received(sink)
      .filter((parsed) => parsed.kind !== "video-header")
      .map((parsed) => parsed.timestamp);
    // Read modulo 2^32, the new clock (0) is 256 ms after the old one (2^32 - 256): the step is kept.
    expect(timestamps).toEqual([0, ...Array.from({ length: 51 }, (_, index) => 256 + index * 40)]);
  });

  it("forgets the old publisher's GOP, so a viewer joining after a replacement waits for the new keyframe", () => {
    const stream = liveStream();
    stream.push(avcHeader());
    stream.push(keyframe(0));
    stream.push(interframe(40));
    stream.publisherReplaced();
    const sink = fakeSink();
    stream.addViewer("http-flv", "flv", sink);
    expect(sink.writes).toEqual([]);
    stream.push(avcHeader());
    stream.push(keyframe(0));
    tick();
    expect(kinds(received(sink))).toEqual(["video-header", "keyframe"]);
    expect(received(sink)[1]!.timestamp).toBe(41);
  });

  it("counts viewers by protocol", () => {
    const stream = liveStream();
    const viewers: Viewer[] = [];
    viewers.push(stream.addViewer("http-flv", "flv", fakeSink()));
    viewers.push(stream.addViewer("http-flv", "flv", fakeSink()));
    viewers.push(stream.addViewer("ws-flv", "flv", fakeSink()));
    viewers.push(stream.addViewer("rtmp", "rtmp", fakeSink()));
    viewers.push(stream.addViewer("hls", "flv", fakeSink()));
    viewers.push(stream.addViewer("thumbnail", "flv", fakeSink()));
    expect(stream.viewerCounts()).toEqual({
      "http-flv": 2,
      "ws-flv": 1,
      rtmp: 1,
      hls: 1,
      thumbnail: 1,
      relay: 0,
      recording: 0,
    });
    stream.removeViewer(viewers[0]!);
    stream.removeViewer(viewers[3]!);
    stream.removeViewer(viewers[5]!);
    expect(stream.viewerCounts()).toEqual({
      "http-flv": 1,
      "ws-flv": 1,
      rtmp: 0,
      hls: 1,
      thumbnail: 0,
      relay: 0,
      recording: 0,
    });
  });

  it("counts the bytes written to viewers by protocol, and the bytes still queued", () => {
    const stream = liveStream();
    stream.push(keyframe(0));
    const flv = fakeSink();
    const rtmp = fakeSink();
    stream.addViewer("ws-flv", "flv", flv);
    stream.addViewer("rtmp", "rtmp", rtmp);
    stream.push(interframe(40));
    const queued = serializeFlvTag(interframe(40)).length + serializeRtmpMessage(interframe(40)).length;
    expect(stream.queuedBytes()).toBe(queued);
    tick();
    expect(stream.queuedBytes()).toBe(0);
    const written = (sink: FakeSink) =>
      sink.writes.flat().reduce((total, buffer) => total + buffer.length, 0);
    expect(stream.sentBytes).toEqual({
      "http-flv": 0,
      "ws-flv": written(flv),
      rtmp: written(rtmp),
      hls: 0,
      thumbnail: 0,
      relay: 0,
      recording: 0,
    });
  });

  it("ends by closing every viewer with stream-ended", () => {
    const ended: LiveStream[] = [];
    const stream = liveStream({ events: { ended: (which) => ended.push(which) } });
    stream.push(keyframe(0));
    const sinks = [fakeSink(), fakeSink(), fakeSink()];
    stream.addViewer("http-flv", "flv", sinks[0]!);
    stream.addViewer("ws-flv", "flv", sinks[1]!);
    stream.addViewer("rtmp", "rtmp", sinks[2]!);
    stream.end();
    for (const sink of sinks) expect(sink.closes).toEqual(["stream-ended"]);
    expect(ended).toEqual([stream]);
    expect(stream.viewerCounts()).toEqual({
      "http-flv": 0,
      "ws-flv": 0,
      rtmp: 0,
      hls: 0,
      thumbnail: 0,
      relay: 0,
      recording: 0,
    });

    const writes = sinks.map((sink) => sink.writes.length);
    stream.push(interframe(40));
    tick();
    expect(sinks.map((sink) => sink.writes.length)).toEqual(writes);
  });

  it("drops a viewer that stays behind, and reports skips and drops", () => {
    const limits: ViewerLimits = {
      maxBufferedBytes: 100,
      maxQueueBytes: 2_000,
      maxQueueMs: 60_000,
      maxBehindMs: 50,
    };
    const skipped: Viewer[] = [];
    const dropped: Viewer[] = [];
    const stream = liveStream({
      viewerLimits: limits,
      events: {
        viewerSkipped: (viewer) => skipped.push(viewer),
        viewerDropped: (viewer) => dropped.push(viewer),
      },
    });
    stream.push(keyframe(0));
    const slow = fakeSink();
    const viewer = stream.addViewer("http-flv", "flv", slow);
    const fast = fakeSink();
    stream.addViewer("ws-flv", "flv", fast);
    slow.buffered = 1_000_000;
    for (let frame = 1; frame <= 60 && dropped.length === 0; frame += 1) {
      stream.push(frame % 10 === 0 ? keyframe(frame * 40) : interframe(frame * 40, 400));
      tick();
    }
    expect(skipped).toContain(viewer);
    expect(dropped).toEqual([viewer]);
    expect(slow.closes).toEqual(["too-slow"]);
    expect(fast.closes).toEqual([]);
    expect(stream.viewerCounts()).toEqual({
      "http-flv": 0,
      "ws-flv": 1,
      rtmp: 0,
      hls: 0,
      thumbnail: 0,
      relay: 0,
      recording: 0,
    });
  });

  it("reports every pushed tag to tagIn and to its stats", () => {
    const tagsIn: MediaTag[] = [];
    const stream = liveStream({ events: { tagIn: (pushed) => tagsIn.push(pushed) } });
    const pushed = [avcHeader(), keyframe(0), interframe(2_000), keyframe(2_000)];
    for (const each of pushed) stream.push(each, 1_000);
    expect(tagsIn).toEqual(pushed);
    expect(stream.stats.snapshot(1_000).video.codec).toBe("H.264");
    expect(stream.stats.snapshot(1_000).keyframeIntervalMs).toBe(2_000);
  });
});
