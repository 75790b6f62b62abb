import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { metricValue, openHttpFlv, type FlvViewer } from "@relaycast/media/testing";
import type { BenchmarkResult } from "../benchmark.ts";
import { BENCH_CHANNEL, BENCH_STREAM_KEY } from "../fanout/bench-channel.ts";
import { startPublisher, type Publisher } from "../fanout/publisher.ts";
import { BENCH_CLIP, ensureTestClip } from "../fanout/test-clip.ts";
import { distribution, type Distribution } from "../shared/percentiles.ts";
import { snapshotCpu, processCpuPercent } from "../shared/process-sampler.ts";
import { progress } from "../shared/progress.ts";
import { startRelayNode, type RelayNodeProcess } from "./relay-node-process.ts";

export type RelayOptions = { viewers: number; seconds: number; redisUrl: string };

export type RelayResult = BenchmarkResult & {
  options: RelayOptions;
  /** Delay the hop adds: when a frame reached a viewer on the edge, minus when it reached one on the origin. */
  hopDelayMs: Distribution | null;
  /** Relay connections the edge holds for the one channel, whatever its viewers (must be 1). */
  upstreamsPerEdge: number | null;
  viewersOnEdge: number;
  /** Viewers on the edge that received at least 95 % of the frames of the measured window. */
  viewersAtFullRate: number | null;
  /** The origin's CPU (% of one core) with no edge, and what one subscribed edge adds to it. */
  originCpu: { withoutEdges: number | null; perSubscribedEdge: number | null };
  /** The origin is SIGKILLed, the encoder restarted on the other origin: until every edge viewer plays. */
  failover: { killToAllPlayingMs: number | null; encoderBackToAllPlayingMs: number | null };
  /** New viewers asked of an edge at capacity: how many were sent to its sibling, and where. */
  redirects: { attempted: number; redirected: number; to: Record<string, number> } | null;
};

const MEASURE_TIMEOUT_MS = 30_000;

/**
 * Publisher → origin → edge → N viewers, on loopback, each node a process of its own sharing a
 * registry in Redis: the delay of the hop, the upstreams per edge, the viewers at full rate, the
 * origin's CPU per subscribed edge, the failover time after an origin kill, and the redirects of an
 * edge at capacity.
 */
export async function runRelay(options: RelayOptions): Promise<RelayResult> {
  const result: RelayResult = {
    error: null,
    options,
    hopDelayMs: null,
    upstreamsPerEdge: null,
    viewersOnEdge: options.viewers,
    viewersAtFullRate: null,
    originCpu: { withoutEdges: null, perSubscribedEdge: null },
    failover: { killToAllPlayingMs: null, encoderBackToAllPlayingMs: null },
    redirects: null,
  };
  const cluster = {
    redisUrl: options.redisUrl,
    prefix: `relaycast-bench-${randomBytes(4).toString("hex")}:`,
    secret: randomBytes(24).toString("hex"),
  };
  const nodes: RelayNodeProcess[] = [];
  const viewers: FlvViewer[] = [];
  let publisher: Publisher | null = null;
  try {
    const clip = await ensureTestClip({ ...BENCH_CLIP, seconds: 20 });
    const start = async (id: string, role: "all" | "edge", capacityViewers = 100_000) => {
      const node = await startRelayNode({ id, role, capacityViewers }, cluster);
      nodes.push(node);
      return node;
    };
    const originA = await start("origin-a", "all");
    const originB = await start("origin-b", "all");
    const edge = await start("edge-1", "edge", options.viewers);
    await start("edge-2", "edge");
    progress(`relay: 2 origins and 2 edges up; publishing to origin-a`);
    publisher = startPublisher({ clipPath: clip.path, rtmpUrl: originA.rtmpUrl(`live/${BENCH_STREAM_KEY}`) });
    const flv = (node: RelayNodeProcess) => node.httpUrl(`/live/${BENCH_CHANNEL.name}.flv`);
    const reference = await openPlaying(flv(originA), true);
    viewers.push(reference);

    const windowMs = options.seconds * 1000;
    const baseline = await cpuOver(originA.pid, windowMs);
    result.originCpu.withoutEdges = baseline;

    progress(`relay: ${options.viewers} viewers on edge-1`);
    const probeJoinedAt = Date.now();
    const probe = await openPlaying(flv(edge), true);
    viewers.push(probe);
    for (let index = 1; index < options.viewers; index += 1)
      viewers.push(await openPlaying(flv(edge), false));
    const edgeViewers = viewers.slice(1);
    const framesBefore = edgeViewers.map(frameCount);
    const withEdge = await cpuOver(originA.pid, windowMs);
    const expectedFrames = (BENCH_CLIP.fps * windowMs) / 1000;
    result.viewersAtFullRate = edgeViewers.filter(
      (viewer, index) => frameCount(viewer) - framesBefore[index]! >= 0.95 * expectedFrames,
    ).length;
    result.originCpu.perSubscribedEdge =
      withEdge === null || baseline === null ? null : round(withEdge - baseline);
    result.hopDelayMs = hopDelays(reference, probe, probeJoinedAt);
    result.upstreamsPerEdge =
      metricValue(await (await fetch(edge.httpUrl("/metrics"))).text(), "relaycast_media_relay_connections", {
        direction: "pulled",
      }) ?? null;

    progress("relay: edge-1 at capacity; asking it for 10 more viewers");
    result.redirects = await redirectsOf(flv(edge), 10, nodes);

    progress("relay: SIGKILL origin-a; the encoder moves to origin-b");
    reference.close();
    await publisher.stop();
    const killedAt = Date.now();
    await originA.kill();
    // As OBS does: reconnect, and keep retrying while the channel is still held by the dead origin.
    publisher = await publishUntilAdmitted(clip.path, originB.rtmpUrl(`live/${BENCH_STREAM_KEY}`));
    const encoderBackAt = Date.now();
    const counts = edgeViewers.map(frameCount);
    const allPlayingAt = await waitUntil(
      () => edgeViewers.every((viewer, index) => frameCount(viewer) > counts[index]! + 5),
      MEASURE_TIMEOUT_MS,
    );
    if (allPlayingAt !== null) {
      result.failover = {
        killToAllPlayingMs: allPlayingAt - killedAt,
        encoderBackToAllPlayingMs: allPlayingAt - encoderBackAt,
      };
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    for (const viewer of viewers) viewer.close();
    await publisher?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
  }
  return result;
}

/** A viewer of an HTTP-FLV URL once video flows (the channel may take a moment to be live there). */
async function openPlaying(url: string, keepBodies: boolean): Promise<FlvViewer> {
  const deadline = Date.now() + MEASURE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const viewer = await openHttpFlv(url, { keepBodies }).catch(() => null);
    if (viewer?.status === 200) {
      await viewer.until((each) => frameCount(each) > 0, MEASURE_TIMEOUT_MS, url);
      return viewer;
    }
    viewer?.close();
    await sleep(200);
  }
  throw new Error(`${url} did not play within ${MEASURE_TIMEOUT_MS / 1000} s`);
}

function frameCount(viewer: FlvViewer): number {
  return viewer.videoTimestamps().length;
}

/** Starts the publisher again every second until the origin admits it (it keeps running). */
async function publishUntilAdmitted(clipPath: string, rtmpUrl: string): Promise<Publisher> {
  const deadline = Date.now() + MEASURE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const publisher = startPublisher({ clipPath, rtmpUrl });
    const refused = await Promise.race([
      publisher.died.then(
        () => false,
        () => true,
      ),
      sleep(1_500).then(() => false),
    ]);
    if (!refused) return publisher;
    await sleep(500);
  }
  throw new Error("the encoder was not admitted by the other origin");
}

/**
 * For each live video frame both viewers got (matched by its bytes), how much later the edge's viewer
 * got it. Frames the origin's viewer got before the edge's joined are the GOP it starts on, not live.
 */
function hopDelays(origin: FlvViewer, edge: FlvViewer, edgeJoinedAt: number): Distribution {
  const frameKey = (body: Buffer) => `${body.length}:${body.subarray(0, 64).toString("base64")}`;
  const atOrigin = new Map<string, number>();
  for (const tag of origin.tags) {
    if (tag.type === 9 && tag.receivedAt >= edgeJoinedAt) atOrigin.set(frameKey(tag.body), tag.receivedAt);
  }
  const delays: number[] = [];
  for (const tag of edge.tags) {
    if (tag.type !== 9) continue;
    const receivedAtOrigin = atOrigin.get(frameKey(tag.body));
    if (receivedAtOrigin !== undefined) delays.push(tag.receivedAt - receivedAtOrigin);
  }
  return distribution(delays);
}

/** Asks an edge at capacity for new viewers: how many it redirected, and to which nodes. */
async function redirectsOf(url: string, attempts: number, nodes: RelayNodeProcess[]) {
  let redirected = 0;
  const to: Record<string, number> = {};
  for (let index = 0; index < attempts; index += 1) {
    const response = await fetch(url, { redirect: "manual" });
    await response.body?.cancel();
    if (response.status !== 302) continue;
    redirected += 1;
    const location = response.headers.get("location") ?? "";
    const target = nodes.find((node) => location.startsWith(node.httpUrl("/")))?.id ?? location;
    to[target] = (to[target] ?? 0) + 1;
  }
  return { attempted: attempts, redirected, to };
}

/** The CPU a process used over the next `ms`, in % of one core. */
async function cpuOver(pid: number, ms: number): Promise<number | null> {
  const start = snapshotCpu([pid]);
  await sleep(ms);
  const cpu = processCpuPercent(start, snapshotCpu([pid]), pid);
  return cpu === null ? null : round(cpu);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return Date.now();
    await sleep(20);
  }
  return null;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
