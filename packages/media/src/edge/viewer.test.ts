import { describe, expect, it } from "vitest";
import type { TTagKind } from "../flv/media-tag.ts";
import type { SharedTag } from "./shared-tag.ts";
import { Viewer, type ViewerLimits } from "./viewer.ts";
import { fakeSink } from "../testing/fake-sink.ts";

const LIMITS: ViewerLimits = {
  maxBufferedBytes: 1000,
  maxQueueBytes: 10_000,
  maxQueueMs: 3_000,
  maxBehindMs: 5_000,
};

const FILE_HEADER = Buffer.from("FILE-HEADER");
const METADATA = Buffer.from("METADATA");
const HEADERS = Buffer.from("SEQUENCE-HEADERS");

let nextId = 0;

/** A shared tag whose buffers are recognisable: each format gets its own buffer of `bytes` bytes. */
function shared(kind: TTagKind, timestamp: number, bytes = 100): SharedTag {
  nextId += 1;
  return {
    kind,
    timestamp,
    flv: Buffer.alloc(bytes, nextId % 256),
    rtmp: Buffer.alloc(bytes + 1, nextId % 256),
  };
}

function setup(limits: ViewerLimits = LIMITS, format: "flv" | "rtmp" = "flv") {
  const sink = fakeSink();
  const preambles: boolean[] = [];
  const skipped: Viewer[] = [];
  const dropped: Viewer[] = [];
  const viewer = new Viewer(
    "http-flv",
    format,
    sink,
    {
      preamble: (_viewer, withFileHeader) => {
        preambles.push(withFileHeader);
        return withFileHeader ? [FILE_HEADER, METADATA, HEADERS] : [METADATA, HEADERS];
      },
      skippedToKeyframe: (target) => skipped.push(target),
      dropped: (target) => dropped.push(target),
    },
    limits,
  );
  return { viewer, sink, preambles, skipped, dropped };
}

const sum = (buffers: Buffer[]) => buffers.reduce((total, buffer) => total + buffer.length, 0);

describe("Viewer", () => {
  it("takes nothing until a keyframe, then gets the preamble before it", () => {
    const { viewer, sink, preambles } = setup();
    viewer.enqueue(shared("audio", 0));
    viewer.enqueue(shared("interframe", 10));
    viewer.enqueue(shared("metadata", 10));
    expect(viewer.queueBytes).toBe(0);
    expect(viewer.flush(0)).toBe(0);
    expect(sink.writes).toEqual([]);

    const keyframe = shared("keyframe", 40);
    const interframe = shared("interframe", 80);
    viewer.enqueue(keyframe);
    viewer.enqueue(interframe);
    expect(preambles).toEqual([true]);
    viewer.flush(0);
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]).toEqual([FILE_HEADER, METADATA, HEADERS, keyframe.flv, interframe.flv]);
    expect(sink.writes[0]![3]).toBe(keyframe.flv);
  });

  it("queues the buffers of its wire format by reference", () => {
    const { viewer, sink } = setup(LIMITS, "rtmp");
    const keyframe = shared("keyframe", 0);
    viewer.enqueue(keyframe);
    viewer.flush(0);
    expect(sink.writes[0]!.at(-1)).toBe(keyframe.rtmp);
  });

  it("writes everything queued as one batch per flush and returns the bytes written", () => {
    const { viewer, sink } = setup();
    const tags = [shared("keyframe", 0), shared("audio", 5), shared("interframe", 40), shared("audio", 28)];
    for (const tag of tags) viewer.enqueue(tag);
    const expected = [FILE_HEADER, METADATA, HEADERS, ...tags.map((tag) => tag.flv)];
    expect(viewer.queueBytes).toBe(sum(expected));
    expect(viewer.flush(0)).toBe(sum(expected));
    expect(sink.writes).toEqual([expected]);
    expect(viewer.queueBytes).toBe(0);

    expect(viewer.flush(1)).toBe(0);
    expect(sink.writes).toHaveLength(1);

    const next = [shared("interframe", 80), shared("audio", 81)];
    for (const tag of next) viewer.enqueue(tag);
    viewer.flush(2);
    expect(sink.writes).toHaveLength(2);
    expect(sink.writes[1]).toEqual(next.map((tag) => tag.flv));
  });

  it("does not write to a sink holding more than maxBufferedBytes, and writes once it drains", () => {
    const { viewer, sink } = setup();
    viewer.enqueue(shared("keyframe", 0));
    sink.buffered = LIMITS.maxBufferedBytes + 1;
    expect(viewer.flush(0)).toBe(0);
    expect(sink.writes).toEqual([]);
    const queued = viewer.queueBytes;
    expect(queued).toBeGreaterThan(0);

    sink.buffered = LIMITS.maxBufferedBytes;
    expect(viewer.flush(10)).toBe(queued);
    expect(sink.writes).toHaveLength(1);
  });

  it("skips to the next keyframe when its queue passes maxQueueBytes", () => {
    const limits = { ...LIMITS, maxQueueBytes: 1_000 };
    const { viewer, sink, skipped, preambles } = setup(limits);
    viewer.enqueue(shared("keyframe", 0, 100));
    viewer.flush(0);
    sink.buffered = limits.maxBufferedBytes + 1;

    let timestamp = 0;
    while (skipped.length === 0) viewer.enqueue(shared("interframe", (timestamp += 40), 300));
    expect(skipped).toEqual([viewer]);
    expect(viewer.queueBytes).toBe(0);

    viewer.enqueue(shared("audio", (timestamp += 1)));
    viewer.enqueue(shared("interframe", (timestamp += 40)));
    viewer.enqueue(shared("video-header", timestamp));
    expect(viewer.queueBytes).toBe(0);

    const keyframe = shared("keyframe", (timestamp += 40));
    viewer.enqueue(keyframe);
    expect(preambles).toEqual([true, false]);
    sink.buffered = 0;
    viewer.flush(100);
    expect(sink.writes[1]).toEqual([METADATA, HEADERS, keyframe.flv]);
    expect(skipped).toHaveLength(1);
  });

  it("with overflow 'drop' (the recorder), never skips a frame: past its bounds it is dropped", () => {
    const limits: ViewerLimits = { ...LIMITS, maxQueueBytes: 1_000, overflow: "drop" };
    const { viewer, sink, skipped, dropped } = setup(limits);
    viewer.enqueue(shared("keyframe", 0, 100));
    viewer.flush(0);
    sink.buffered = limits.maxBufferedBytes + 1;
    let timestamp = 0;
    while (dropped.length === 0) viewer.enqueue(shared("interframe", (timestamp += 40), 300));
    expect(dropped).toEqual([viewer]);
    expect(skipped).toEqual([]);
    expect(sink.closes).toEqual(["too-slow"]);
    expect(viewer.queueBytes).toBe(0);
  });

  it("re-sends the FLV file header after a skip if it was never written", () => {
    const limits = { ...LIMITS, maxQueueBytes: 1_000 };
    const { viewer, sink, skipped, preambles } = setup(limits);
    sink.buffered = limits.maxBufferedBytes + 1;
    viewer.enqueue(shared("keyframe", 0, 100));
    viewer.flush(0);
    viewer.enqueue(shared("interframe", 40, 2_000));
    expect(skipped).toHaveLength(1);
    viewer.enqueue(shared("keyframe", 80, 100));
    expect(preambles).toEqual([true, true]);
  });

  it("skips to the next keyframe when its queue holds more than maxQueueMs of media", () => {
    const { viewer, sink, skipped } = setup();
    viewer.enqueue(shared("keyframe", 10_000, 10));
    viewer.flush(0);
    sink.buffered = LIMITS.maxBufferedBytes + 1;
    viewer.enqueue(shared("interframe", 10_040, 10));
    viewer.enqueue(shared("interframe", 10_040 + LIMITS.maxQueueMs, 10));
    expect(skipped).toEqual([]);
    viewer.enqueue(shared("interframe", 10_041 + LIMITS.maxQueueMs, 10));
    expect(skipped).toEqual([viewer]);
    expect(viewer.queueBytes).toBe(0);
  });

  it("measures queued media time from the first tag still queued", () => {
    const { viewer, skipped } = setup();
    viewer.enqueue(shared("keyframe", 0, 10));
    viewer.flush(0);
    for (let timestamp = 40; timestamp <= 20_000; timestamp += 40) {
      viewer.enqueue(shared("interframe", timestamp, 10));
      viewer.flush(timestamp);
    }
    expect(skipped).toEqual([]);
  });

  it("closes a viewer behind for longer than maxBehindMs with too-slow and reports it dropped", () => {
    const { viewer, sink, dropped } = setup();
    viewer.enqueue(shared("keyframe", 0));
    sink.buffered = LIMITS.maxBufferedBytes + 1;
    viewer.flush(1_000);
    viewer.enqueue(shared("interframe", 40));
    viewer.flush(1_000 + LIMITS.maxBehindMs);
    expect(sink.closes).toEqual([]);
    viewer.flush(1_001 + LIMITS.maxBehindMs);
    expect(sink.closes).toEqual(["too-slow"]);
    expect(dropped).toEqual([viewer]);
    expect(viewer.queueBytes).toBe(0);

    viewer.enqueue(shared("keyframe", 80));
    expect(viewer.flush(1_002 + LIMITS.maxBehindMs)).toBe(0);
    expect(viewer.queueBytes).toBe(0);
    expect(sink.writes).toEqual([]);
    expect(dropped).toHaveLength(1);
  });

  it("forgets how long it was behind once the sink drains", () => {
    const { viewer, sink, dropped } = setup();
    viewer.enqueue(shared("keyframe", 0));
    sink.buffered = LIMITS.maxBufferedBytes + 1;
    viewer.flush(0);
    sink.buffered = 0;
    viewer.flush(LIMITS.maxBehindMs - 1);
    sink.buffered = LIMITS.maxBufferedBytes + 1;
    viewer.enqueue(shared("interframe", 40));
    viewer.flush(LIMITS.maxBehindMs);
    viewer.enqueue(shared("interframe", 80));
    viewer.flush(LIMITS.maxBehindMs + LIMITS.maxBehindMs - 1);
    expect(dropped).toEqual([]);
    expect(sink.closes).toEqual([]);
  });

  it("closes its sink once, and takes nothing after closing", () => {
    const { viewer, sink } = setup();
    viewer.enqueue(shared("keyframe", 0));
    viewer.close("stream-ended");
    viewer.close("server-closing");
    expect(sink.closes).toEqual(["stream-ended"]);
    expect(viewer.queueBytes).toBe(0);
    viewer.enqueue(shared("keyframe", 40));
    expect(viewer.flush(0)).toBe(0);
    expect(sink.writes).toEqual([]);
  });

  it("keeps its queue bounded while 100 MB of tags go to a sink that never drains", () => {
    const limits: ViewerLimits = {
      maxBufferedBytes: 256 * 1024,
      maxQueueBytes: 4 * 1024 * 1024,
      maxQueueMs: 60_000,
      maxBehindMs: Number.POSITIVE_INFINITY,
    };
    const { viewer, sink, skipped } = setup(limits);
    sink.write = (buffers) => {
      sink.buffered += sum(buffers);
    };
    const keyframe: SharedTag = {
      kind: "keyframe",
      timestamp: 0,
      flv: Buffer.alloc(200_000),
      rtmp: Buffer.alloc(1),
    };
    const interframe: SharedTag = {
      kind: "interframe",
      timestamp: 0,
      flv: Buffer.alloc(40_000),
      rtmp: Buffer.alloc(1),
    };
    const audio: SharedTag = { kind: "audio", timestamp: 0, flv: Buffer.alloc(400), rtmp: Buffer.alloc(1) };
    const largestTag = keyframe.flv.length + FILE_HEADER.length + METADATA.length + HEADERS.length;

    let pushedBytes = 0;
    let maxQueueBytes = 0;
    for (let frame = 0; pushedBytes < 100 * 1024 * 1024; frame += 1) {
      const timestamp = frame * 40;
      for (const tag of [frame % 50 === 0 ? keyframe : interframe, audio]) {
        viewer.enqueue({ ...tag, timestamp });
        pushedBytes += tag.flv.length;
        maxQueueBytes = Math.max(maxQueueBytes, viewer.queueBytes);
      }
      viewer.flush(timestamp);
    }
    expect(maxQueueBytes).toBeLessThanOrEqual(limits.maxQueueBytes + largestTag);
    expect(sink.buffered).toBeLessThanOrEqual(limits.maxBufferedBytes + limits.maxQueueBytes + largestTag);
    expect(skipped.length).toBeGreaterThan(0);
    expect(sink.closes).toEqual([]);
  });

  it("is eventually dropped when it never drains under default-like limits", () => {
    const limits: ViewerLimits = { ...LIMITS, maxBehindMs: 10_000 };
    const { viewer, sink, dropped } = setup(limits);
    sink.buffered = Number.MAX_SAFE_INTEGER;
    for (let frame = 0; frame < 1_000 && dropped.length === 0; frame += 1) {
      viewer.enqueue(shared(frame % 50 === 0 ? "keyframe" : "interframe", frame * 40, 1_000));
      viewer.flush(frame * 40);
    }
    expect(dropped).toEqual([viewer]);
    expect(sink.closes).toEqual(["too-slow"]);
  });
});
