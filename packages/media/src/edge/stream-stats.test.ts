import { describe, expect, it } from "vitest";
import { classifyTag } from "../flv/classify-tag.ts";
import { TAG_TYPE, type MediaTag, type TTagType } from "../flv/media-tag.ts";
import { StreamStats } from "./stream-stats.ts";

function tag(type: TTagType, timestamp: number, body: Buffer | number[]): MediaTag {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { type, kind: classifyTag(type, buffer), timestamp, body: buffer };
}

const fourcc = (code: string) => [...Buffer.from(code, "latin1")];

function amfString(value: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(value.length);
  return Buffer.concat([length, Buffer.from(value, "latin1")]);
}

/** An AMF0 onMetaData script body: the name, then an ECMA array of numbers and booleans. */
function onMetaData(fields: Record<string, number | boolean>): Buffer {
  const entries = Object.entries(fields);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  const parts = [Buffer.from([0x02]), amfString("onMetaData"), Buffer.from([0x08]), count];
  for (const [key, value] of entries) {
    parts.push(amfString(key));
    if (typeof value === "boolean") {
      parts.push(Buffer.from([0x01, value ? 1 : 0]));
    } else {
      const number = Buffer.alloc(9);
      number[0] = 0x00;
      number.writeDoubleBE(value, 1);
      parts.push(number);
    }
  }
  parts.push(Buffer.from([0x00, 0x00, 0x09]));
  return Buffer.concat(parts);
}

const metadataTag = (fields: Record<string, number | boolean>) => tag(TAG_TYPE.script, 0, onMetaData(fields));

function recordAll(stats: StreamStats, tags: MediaTag[], now = 0): StreamStats {
  for (const each of tags) stats.record(each, now);
  return stats;
}

describe("StreamStats", () => {
  it("reports nothing known for a stream that sent nothing", () => {
    expect(new StreamStats().snapshot(0)).toEqual({
      video: { codec: null, width: null, height: null, fps: null },
      audio: { codec: null, sampleRate: null, channels: null },
      ingestKbps: 0,
      keyframeIntervalMs: null,
    });
  });

  it("names legacy codecs from their sequence headers and frames", () => {
    const stats = recordAll(new StreamStats(), [
      tag(TAG_TYPE.video, 0, [0x17, 0x00, 0, 0, 0, 1]),
      tag(TAG_TYPE.audio, 0, [0xaf, 0x00, 0x12, 0x10]),
    ]);
    expect(stats.snapshot(0).video.codec).toBe("H.264");
    expect(stats.snapshot(0).audio.codec).toBe("AAC");

    const mp3 = recordAll(new StreamStats(), [tag(TAG_TYPE.audio, 0, [0x2f, 0xff, 0xfb])]);
    expect(mp3.snapshot(0).audio.codec).toBe("MP3");

    const hevc = recordAll(new StreamStats(), [tag(TAG_TYPE.video, 0, [0x1c, 0x00, 0, 0, 0])]);
    expect(hevc.snapshot(0).video.codec).toBe("HEVC");
  });

  it("names Enhanced RTMP codecs from their FourCC", () => {
    const cases: [number[], string][] = [
      [[0x90, ...fourcc("hvc1"), 1], "HEVC"],
      [[0x90, ...fourcc("av01"), 0x81], "AV1"],
      [[0x90, ...fourcc("vp09"), 1], "VP9"],
      [[0x90, ...fourcc("avc1"), 1], "H.264"],
    ];
    for (const [body, codec] of cases) {
      const stats = recordAll(new StreamStats(), [tag(TAG_TYPE.video, 0, body)]);
      expect(stats.snapshot(0).video.codec).toBe(codec);
    }
    const opus = recordAll(new StreamStats(), [tag(TAG_TYPE.audio, 0, [0x90, ...fourcc("Opus"), 0x4f])]);
    expect(opus.snapshot(0).audio.codec).toBe("Opus");
    const flac = recordAll(new StreamStats(), [tag(TAG_TYPE.audio, 0, [0x90, ...fourcc("fLaC"), 0])]);
    expect(flac.snapshot(0).audio.codec).toBe("FLAC");
  });

  it("shows an unknown FourCC as it is", () => {
    const stats = recordAll(new StreamStats(), [tag(TAG_TYPE.video, 0, [0x90, ...fourcc("vvc1"), 1])]);
    expect(stats.snapshot(0).video.codec).toBe("vvc1");
  });

  it("keeps the audio codec of the sequence header over a later frame's", () => {
    const stats = recordAll(new StreamStats(), [
      tag(TAG_TYPE.audio, 0, [0xaf, 0x00, 0x12, 0x10]),
      tag(TAG_TYPE.audio, 0, [0x2f, 0xff]),
    ]);
    expect(stats.snapshot(0).audio.codec).toBe("AAC");
  });

  it("reads width, height, frame rate, sample rate and channels from onMetaData", () => {
    const stats = recordAll(new StreamStats(), [
      metadataTag({
        duration: 0,
        width: 1920,
        height: 1080,
        framerate: 29.97,
        videodatarate: 6000,
        audiosamplerate: 48_000,
        stereo: true,
      }),
    ]);
    const { video, audio } = stats.snapshot(0);
    expect(video).toMatchObject({ width: 1920, height: 1080, fps: 29.97 });
    expect(audio).toMatchObject({ sampleRate: 48_000, channels: 2 });
  });

  it("reads mono from onMetaData, and ignores zero or missing numbers", () => {
    const stats = recordAll(new StreamStats(), [metadataTag({ width: 0, stereo: false })]);
    const { video, audio } = stats.snapshot(0);
    expect(video).toMatchObject({ width: null, height: null, fps: null });
    expect(audio).toMatchObject({ sampleRate: null, channels: 1 });
  });

  it("keeps the last readable metadata when a script tag is something else", () => {
    const stats = recordAll(new StreamStats(), [
      metadataTag({ width: 1280, height: 720 }),
      tag(
        TAG_TYPE.script,
        0,
        Buffer.concat([Buffer.from([0x02]), amfString("onCuePoint"), Buffer.from([0x05])]),
      ),
      tag(TAG_TYPE.script, 0, [0xff, 0xff, 0xff]),
    ]);
    expect(stats.snapshot(0).video).toMatchObject({ width: 1280, height: 720 });
  });

  it("measures the frame rate of a steady 30 fps stream as 30", () => {
    const stats = new StreamStats();
    const frameMs = 1000 / 30;
    let now = 0;
    for (let frame = 0; frame < 30 * 8; frame += 1) {
      now = frame * frameMs;
      stats.record(tag(TAG_TYPE.video, Math.round(now), [frame % 60 === 0 ? 0x17 : 0x27, 1, 0, 0, 0]), now);
      if (frame === 30 || frame === 30 * 8 - 1) expect(stats.snapshot(now).video.fps).toBe(30);
    }
  });

  it("prefers the measured frame rate to the announced one", () => {
    const stats = new StreamStats();
    stats.record(metadataTag({ framerate: 60 }), 0);
    for (let frame = 0; frame <= 125; frame += 1)
      stats.record(tag(TAG_TYPE.video, frame * 40, [0x27, 1, 0, 0, 0]), frame * 40);
    expect(stats.snapshot(5_000).video.fps).toBeCloseTo(25, 0);
  });

  it("falls back to the announced frame rate once no frames arrived for the measuring window", () => {
    const stats = new StreamStats();
    stats.record(metadataTag({ framerate: 50 }), 0);
    for (let frame = 0; frame < 100; frame += 1)
      stats.record(tag(TAG_TYPE.video, frame * 40, [0x27, 1, 0, 0, 0]), frame * 40);
    expect(stats.snapshot(4_000 + 5_001).video.fps).toBe(50);
    expect(stats.snapshot(4_000 + 5_001).ingestKbps).toBe(0);
  });

  it("measures ingest over the last five seconds: 1250 bytes every 100 ms is 100 kbps", () => {
    const stats = new StreamStats();
    const body = Buffer.concat([Buffer.from([0xaf, 0x01]), Buffer.alloc(1248)]);
    for (let at = 0; at <= 20_000; at += 100) stats.record(tag(TAG_TYPE.audio, at, body), at);
    expect(stats.snapshot(20_000).ingestKbps).toBe(100);
  });

  it("forgets ingest older than its window", () => {
    const stats = new StreamStats();
    const big = Buffer.concat([Buffer.from([0x27, 0x01]), Buffer.alloc(1_000_000)]);
    stats.record(tag(TAG_TYPE.video, 0, big), 0);
    const small = Buffer.from([0xaf, 0x01, 0, 0]);
    for (let at = 1_000; at <= 10_000; at += 1_000) stats.record(tag(TAG_TYPE.audio, at, small), at);
    expect(stats.snapshot(10_000).ingestKbps).toBeLessThan(1);
  });

  it("measures the keyframe interval from tag timestamps", () => {
    const stats = new StreamStats();
    for (let frame = 0; frame <= 150; frame += 1) {
      const key = frame % 50 === 0;
      stats.record(tag(TAG_TYPE.video, frame * 40, [key ? 0x17 : 0x27, 1, 0, 0, 0]), 0);
    }
    expect(stats.snapshot(0).keyframeIntervalMs).toBe(2_000);
  });

  it("does not measure a keyframe interval across a publisher change", () => {
    const stats = new StreamStats();
    stats.record(tag(TAG_TYPE.video, 10_000, [0x17, 1, 0, 0, 0]), 0);
    stats.record(tag(TAG_TYPE.video, 12_000, [0x17, 1, 0, 0, 0]), 0);
    stats.publisherChanged();
    stats.record(tag(TAG_TYPE.video, 0, [0x17, 1, 0, 0, 0]), 0);
    expect(stats.snapshot(0).keyframeIntervalMs).toBe(2_000);
    stats.record(tag(TAG_TYPE.video, 4_000, [0x17, 1, 0, 0, 0]), 0);
    expect(stats.snapshot(0).keyframeIntervalMs).toBe(4_000);
  });
});
