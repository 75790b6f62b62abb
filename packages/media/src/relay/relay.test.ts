import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { createLogger } from "@relaycast/logger";
import { afterEach, describe, expect, it } from "vitest";
import { LiveStream } from "../edge/live-stream.ts";
import { FlvParser } from "../flv/flv-parser.ts";
import type { MediaTag } from "../flv/media-tag.ts";
import { fakeSink } from "../testing/fake-sink.ts";
import { waitFor } from "../testing/wait.ts";
import { relayProof } from "./relay-auth.ts";
import { CONTROL, RelayFrameReader, controlFrame } from "./relay-frame.ts";
import { RelayServer, type RelaySource } from "./relay-server.ts";
import type { RelayEvents } from "./relay-timing.ts";
import { RelayUpstreams, type OriginLocation, type RelayUpstreamsOptions } from "./relay-upstreams.ts";

const SECRET = "s".repeat(40);
const log = createLogger({ name: "test", level: (process.env.RELAY_TEST_LOG as "debug") ?? "silent" });
const STREAM_OPTIONS = { maxGopBytes: 8 << 20, maxGopMs: 10_000, flushIntervalMs: 10 };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The tags of a real ffmpeg publish (the fuzzer's corpus): metadata, headers, GOPs. */
async function recordedTags(): Promise<MediaTag[]> {
  const flv = await readFile(fileURLToPath(new URL("../fuzz/corpus/stream.flv", import.meta.url)));
  const result = new FlvParser().push(flv);
  if (!result.ok) throw result.error;
  return result.tags;
}

function counters() {
  const counts = { opened: 0, closed: 0, authFailed: 0, bytesIn: 0, bytesOut: 0, roundTrips: 0 };
  const events: RelayEvents = {
    connectionOpened: () => void counts.opened++,
    connectionClosed: () => void counts.closed++,
    bytesIn: (bytes) => void (counts.bytesIn += bytes),
    bytesOut: (bytes) => void (counts.bytesOut += bytes),
    authFailed: () => void counts.authFailed++,
    roundTrip: () => void counts.roundTrips++,
  };
  return { counts, events };
}

async function startOrigin(nodeId: string, sources: Map<string, RelaySource>, secret = SECRET) {
  const { counts, events } = counters();
  const server = new RelayServer({
    host: "127.0.0.1",
    port: 0,
    nodeId,
    secret,
    find: (channel) => sources.get(channel) ?? null,
    events,
    log,
  });
  await server.start();
  cleanups.push(() => server.close());
  return { server, counts, location: { nodeId, relayAddress: `127.0.0.1:${server.port}` } };
}

function originStream(channel: string): RelaySource {
  const stream = new LiveStream({ channel, ...STREAM_OPTIONS });
  cleanups.push(() => stream.end());
  return { stream, state: "live", startedAt: new Date("2026-12-05T00:00:00Z") };
}

function startEdge(locate: () => OriginLocation | null, overrides: Partial<RelayUpstreamsOptions> = {}) {
  const { counts, events } = counters();
  const streams: LiveStream[] = [];
  const upstreams = new RelayUpstreams({
    nodeId: "edge-1",
    secret: SECRET,
    locate: async () => locate(),
    createStream: (channel) => {
      const stream = new LiveStream({ channel, ...STREAM_OPTIONS });
      streams.push(stream);
      return stream;
    },
    audience: (stream) => {
      const counts = stream.viewerCounts();
      return { "http-flv": counts["http-flv"], "ws-flv": counts["ws-flv"], rtmp: counts.rtmp, hls: 0 };
    },
    opened: () => {},
    closed: () => {},
    idleMs: 60_000,
    followMs: 5_000,
    events,
    log,
    ...overrides,
  });
  cleanups.push(() => upstreams.close());
  return { upstreams, counts, streams };
}

/** What an FLV viewer of the edge's stream received, parsed back. */
function watch(stream: LiveStream) {
  const sink = fakeSink();
  stream.addViewer("http-flv", "flv", sink);
  return () => {
    const result = new FlvParser().push(Buffer.concat(sink.writes.flat()));
    if (!result.ok) throw result.error;
    return result.tags;
  };
}

describe("the relay", () => {
  it("gives an edge the stream's headers and GOP first, then every live tag, body for body", async () => {
    const tags = await recordedTags();
    const source = originStream("alice");
    const firstKeyframe = tags.findIndex((tag) => tag.kind === "keyframe");
    const secondKeyframe = tags.findIndex((tag, index) => index > firstKeyframe && tag.kind === "keyframe");
    // The origin is live mid-GOP before the edge arrives.
    for (const tag of tags.slice(0, secondKeyframe + 5)) source.stream.push(tag);
    const origin = await startOrigin("origin-1", new Map([["alice", source]]));
    const edge = startEdge(() => origin.location);

    const stream = await edge.upstreams.open("alice");
    expect(stream).not.toBeNull();
    const received = watch(stream!);
    for (const tag of tags.slice(secondKeyframe + 5)) source.stream.push(tag);
    const expected = tags.filter(
      (tag, index) => index >= secondKeyframe && tag.kind !== "metadata" && !tag.kind.endsWith("-header"),
    );
    await waitFor(
      () =>
        received().filter((tag) => !["metadata", "audio-header", "video-header"].includes(tag.kind)).length >=
        expected.length,
      {
        timeoutMs: 5_000,
        message: "every tag through the relay",
      },
    );
    const got = received();
    expect(
      got
        .slice(0, 3)
        .map((tag) => tag.kind)
        .sort(),
    ).toEqual(["audio-header", "metadata", "video-header"]);
    const frames = got.filter((tag) => !["metadata", "audio-header", "video-header"].includes(tag.kind));
    expect(frames[0]!.kind).toBe("keyframe");
    expect(frames.map((tag) => tag.body.toString("hex"))).toEqual(
      expected.map((tag) => tag.body.toString("hex")),
    );
    // Timestamps keep their steps.
    const steps = (list: MediaTag[]) =>
      list.slice(1).map((tag, index) => tag.timestamp - list[index]!.timestamp);
    expect(steps(frames.filter((tag) => tag.type === 9))).toEqual(
      steps(expected.filter((tag) => tag.type === 9)),
    );
    expect(edge.upstreams.find("alice")).toMatchObject({ origin: "origin-1", state: "live" });
    expect(origin.server.subscribers("alice").map((each) => each.node)).toEqual(["edge-1"]);
  });

  it("opens exactly one upstream per channel, however many viewers ask at once", async () => {
    const source = originStream("alice");
    for (const tag of await recordedTags()) source.stream.push(tag);
    const origin = await startOrigin("origin-1", new Map([["alice", source]]));
    const edge = startEdge(() => origin.location);
    const streams = await Promise.all(Array.from({ length: 50 }, () => edge.upstreams.open("alice")));
    expect(new Set(streams).size).toBe(1);
    expect(streams[0]).not.toBeNull();
    expect(origin.counts.opened).toBe(1);
    expect(edge.counts.opened).toBe(1);
  });

  it("answers null for a channel no origin holds, or one its origin does not have", async () => {
    const origin = await startOrigin("origin-1", new Map());
    expect(await startEdge(() => null).upstreams.open("alice")).toBeNull();
    expect(await startEdge(() => origin.location, { followMs: 300 }).upstreams.open("alice")).toBeNull();
  });

  it("refuses an edge without the cluster secret, and an edge refuses an origin without it", async () => {
    const source = originStream("alice");
    for (const tag of await recordedTags()) source.stream.push(tag);
    const origin = await startOrigin("origin-1", new Map([["alice", source]]));
    const impostorEdge = startEdge(() => origin.location, { secret: "x".repeat(40), followMs: 300 });
    expect(await impostorEdge.upstreams.open("alice")).toBeNull();
    expect(impostorEdge.counts.authFailed).toBeGreaterThan(0);
    // A peer that answers the origin's challenge with a made-up proof is refused with END unauthorized.
    const peer = connect(origin.server.port, "127.0.0.1");
    const received: Buffer[] = [];
    peer.on("data", (data: Buffer) => received.push(data));
    peer.write(controlFrame(CONTROL.hello, { version: 1, nodeId: "edge-x", nonce: "0".repeat(32) }));
    peer.write(controlFrame(CONTROL.auth, { proof: "0".repeat(64) }));
    peer.write(controlFrame(CONTROL.subscribe, { channel: "alice" }));
    await new Promise((resolve) => peer.once("close", resolve));
    expect(Buffer.concat(received).toString()).toContain('"reason":"unauthorized"');
    expect(origin.counts.authFailed).toBe(1);
    expect(source.stream.viewerCounts().relay).toBe(0);

    const impostorOrigin = await startOrigin("origin-2", new Map([["alice", source]]), "y".repeat(40));
    const edge = startEdge(() => impostorOrigin.location, { followMs: 300 });
    expect(await edge.upstreams.open("alice")).toBeNull();
    expect(edge.counts.authFailed).toBeGreaterThan(0);
  });

  it("closes a peer that sends media or garbage before it is authenticated", async () => {
    const source = originStream("alice");
    const origin = await startOrigin("origin-1", new Map([["alice", source]]));
    for (const bytes of [
      Buffer.from([9, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0x17, 1, 0, 0, 0, 0, 0, 0, 16]),
      controlFrame(CONTROL.subscribe, { channel: "alice" }),
      Buffer.from("GET / HTTP/1.1\r\n\r\n"),
    ]) {
      const socket = connect(origin.server.port, "127.0.0.1");
      socket.on("error", () => {});
      socket.resume();
      socket.write(bytes);
      await new Promise((resolve) => socket.once("close", resolve));
    }
    expect(source.stream.viewerCounts().relay).toBe(0);
  });

  it("releases an upstream after its idle time without viewers, and keeps it while watched", async () => {
    const source = originStream("alice");
    for (const tag of await recordedTags()) source.stream.push(tag);
    const origin = await startOrigin("origin-1", new Map([["alice", source]]));
    const edge = startEdge(() => origin.location, { idleMs: 500 });
    const stream = await edge.upstreams.open("alice");
    const viewer = stream!.addViewer("http-flv", "flv", fakeSink());
    // Watched: kept well past the idle time (the keep-alive tick checks every 2 s).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(edge.upstreams.find("alice")).not.toBeNull();
    stream!.removeViewer(viewer);
    await waitFor(() => edge.upstreams.find("alice") === null, {
      timeoutMs: 6_000,
      message: "the idle release",
    });
    await waitFor(() => source.stream.viewerCounts().relay === 0, {
      timeoutMs: 3_000,
      message: "the unsubscribe",
    });
    expect(origin.counts.closed).toBe(1);
  });

  it("skips a slow edge to keyframes and then drops it, its queue bounded", async () => {
    const tags = await recordedTags();
    const limits = {
      maxBufferedBytes: 64 * 1024,
      maxQueueBytes: 256 * 1024,
      maxQueueMs: 1_000,
      maxBehindMs: 1_000,
    };
    const stream = new LiveStream({ channel: "alice", ...STREAM_OPTIONS, viewerLimits: limits });
    cleanups.push(() => stream.end());
    for (const tag of tags) stream.push(tag);
    const origin = await startOrigin(
      "origin-1",
      new Map([["alice", { stream, state: "live", startedAt: new Date() }]]),
    );
    // An edge that authenticates and subscribes, then stops reading.
    const socket = connect(origin.server.port, "127.0.0.1");
    cleanups.push(() => void socket.destroy());
    const reader = new RelayFrameReader();
    const nonce = "1".repeat(32);
    socket.write(controlFrame(CONTROL.hello, { version: 1, nodeId: "slow-edge", nonce }));
    const hello = await new Promise<{ nodeId: string; nonce: string }>((resolve) =>
      socket.once("data", (data: Buffer) => {
        const result = reader.push(data);
        if (!result.ok) throw result.error;
        resolve(result.frames[0]!.body as { nodeId: string; nonce: string });
      }),
    );
    const handshake = {
      edgeId: "slow-edge",
      originId: hello.nodeId,
      edgeNonce: nonce,
      originNonce: hello.nonce,
    };
    socket.write(controlFrame(CONTROL.auth, { proof: relayProof(SECRET, "edge", handshake) }));
    socket.write(controlFrame(CONTROL.subscribe, { channel: "alice" }));
    await waitFor(() => stream.viewerCounts().relay === 1, { timeoutMs: 3_000, message: "the subscription" });
    socket.pause();
    let peakQueue = 0;
    const pushing = setInterval(() => {
      for (const tag of tags.slice(0, 60)) stream.push(tag);
      peakQueue = Math.max(peakQueue, stream.queuedBytes());
    }, 20);
    try {
      await waitFor(() => stream.viewerCounts().relay === 0, {
        timeoutMs: 15_000,
        message: "the slow edge dropped",
      });
    } finally {
      clearInterval(pushing);
    }
    // Never more than the queue bound plus one tick's tags.
    expect(peakQueue).toBeLessThan(limits.maxQueueBytes * 2);
  });

  it("follows a channel that moved to another origin, keeping its viewers", async () => {
    const tags = await recordedTags();
    const first = originStream("alice");
    const second = originStream("alice");
    for (const tag of tags) first.stream.push(tag);
    for (const tag of tags) second.stream.push(tag);
    const originA = await startOrigin("origin-a", new Map([["alice", first]]));
    const originB = await startOrigin("origin-b", new Map([["alice", second]]));
    let holder = originA.location;
    const edge = startEdge(() => holder);
    const stream = await edge.upstreams.open("alice");
    const sink = fakeSink();
    stream!.addViewer("http-flv", "flv", sink);
    holder = originB.location;
    originA.server.end("alice", "moved");
    await waitFor(() => edge.upstreams.find("alice")?.origin === "origin-b", {
      timeoutMs: 5_000,
      message: "the edge to follow the channel",
    });
    const before = sink.writes.length;
    for (const tag of tags.slice(0, 40)) second.stream.push(tag);
    await waitFor(() => sink.writes.length > before, {
      timeoutMs: 3_000,
      message: "media from the new origin",
    });
    expect(sink.closes).toEqual([]);
    expect(await edge.upstreams.open("alice")).toBe(stream);
  });

  it("ends the edge's stream, and its viewers, when the broadcast ends", async () => {
    const source = originStream("alice");
    for (const tag of await recordedTags()) source.stream.push(tag);
    const origin = await startOrigin("origin-1", new Map([["alice", source]]));
    const edge = startEdge(() => origin.location);
    const stream = await edge.upstreams.open("alice");
    const sink = fakeSink();
    stream!.addViewer("http-flv", "flv", sink);
    source.stream.end();
    await waitFor(() => sink.closes.length > 0, { timeoutMs: 3_000, message: "the viewer to be closed" });
    expect(sink.closes).toEqual(["stream-ended"]);
    expect(edge.upstreams.find("alice")).toBeNull();
  });
});
