import { setTimeout as sleep } from "node:timers/promises";
import { createDb } from "@relaycast/db";
import { createTestDatabase } from "@relaycast/db/testing";
import { metricValue, seedPublisher } from "@relaycast/media/testing";
import {
  DirectedViewer,
  startTestCluster,
  type ClusterNode,
  type EdgeChoice,
  type TestCluster,
} from "@relaycast/media-node/testing";
import type { BenchmarkResult } from "../benchmark.ts";
import { distribution, type Distribution } from "../shared/percentiles.ts";
import { progress } from "../shared/progress.ts";
import { DirectedEncoder } from "./directed-encoder.ts";
import { startDrillWeb, type DrillWeb } from "./drill-site.ts";

export type DrillOptions = { viewers: number; edgeCapacity: number };

/** What a viewer, and the operator, saw when one node was SIGKILLed. */
export type DrillStep = {
  killed: string;
  role: "origin" | "edge";
  /** Viewers playing from each edge just before the kill. */
  viewersByEdge: Record<string, number>;
  /** Viewers whose playback the kill stopped: the edge's own, or every viewer for the origin. */
  affectedViewers: number;
  /** From the kill until every viewer had video again. */
  killToAllPlayingMs: number | null;
  /** Origin kills: from the kill until another origin held the channel (the encoder was back). */
  killToEncoderBackMs: number | null;
  /** From the kill (an edge) or the encoder's return (an origin) until every viewer had video. */
  toAllPlayingMs: number | null;
  /** Per affected viewer: from the kill until its first frame after it (an origin: sent after the encoder's return). */
  outageMs: Distribution | null;
  /** toAllPlayingMs within 5 s. */
  isWithinTarget: boolean;
};

export type DrillResult = BenchmarkResult & {
  options: DrillOptions;
  /** Each media node a network namespace of its own, or ports on loopback (not root). */
  hosts: "network namespaces" | "loopback";
  /** Viewers playing before the first kill, by edge, as the director spread them. */
  spread: Record<string, number> | null;
  steps: DrillStep[];
  /** The most relay connections an edge held for the one channel, sampled every 250 ms (must be 1). */
  maxUpstreamsPerEdge: number | null;
  /** Broadcast rows of the channel at the end (one, still open, is the target). */
  broadcasts: { rows: number; open: number } | null;
};

const STEP_TIMEOUT_MS = 30_000;

/**
 * The cluster's failover drill, as an operator would run it: two origins and two edges on four hosts,
 * the web app's director, one broadcaster (an encoder that asks the director where to publish and
 * reconnects as OBS does) and hundreds of viewers that play where the director sends them (and ask it
 * again, naming the node they lost, as the web player does). Then one node at a time is SIGKILLed
 * (the busiest edge, the other edge, the channel's origin, then its new origin), and restarted once
 * every viewer plays again.
 */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const result: DrillResult = {
    error: null,
    options,
    hosts: "loopback",
    spread: null,
    steps: [],
    maxUpstreamsPerEdge: null,
    broadcasts: null,
  };
  const database = await createTestDatabase("relaycast_drill");
  const db = createDb(database.databaseUrl);
  let cluster: TestCluster | null = null;
  let web: DrillWeb | null = null;
  let encoder: DirectedEncoder | null = null;
  const viewers: DirectedViewer[] = [];
  let sampler: UpstreamSampler | null = null;
  try {
    const { channel, streamKey } = await seedPublisher(db);
    cluster = await startTestCluster({ hosts: 4, databaseUrl: database.databaseUrl });
    result.hosts = cluster.network.hosts[0]!.isIsolated ? "network namespaces" : "loopback";
    const current = cluster;
    await Promise.all([
      current.start({ id: "origin-1", role: "origin" }),
      current.start({ id: "origin-2", role: "origin" }),
      current.start({ id: "edge-1", role: "edge", capacityViewers: options.edgeCapacity }),
      current.start({ id: "edge-2", role: "edge", capacityViewers: options.edgeCapacity }),
    ]);
    web = await startDrillWeb({ databaseUrl: database.databaseUrl, registryEnv: current.registryEnv });
    progress(`drill: 2 origins and 2 edges on ${result.hosts}, web at ${web.url}`);
    const site = web;
    encoder = new DirectedEncoder(site.url, streamKey);
    await waitUntil(async () => (await current.registry.originOf(channel.name)) !== null, "the channel live");
    sampler = new UpstreamSampler(current);

    const choose = async (lost: string | null): Promise<EdgeChoice | null> => {
      const query = lost ? `?avoid=${encodeURIComponent(lost)}` : "";
      const response = await fetch(`${site.url}/api/v1/channels/${channel.name}/play${query}`);
      if (!response.ok) return null;
      const answer = (await response.json()) as {
        node: string | null;
        sources: { kind: string; src: string }[];
      };
      const flv = answer.sources.find((source) => source.kind === "http-flv");
      return answer.node && flv ? { node: answer.node, flvUrl: flv.src } : null;
    };
    // Viewers arrive in waves, so the director sees the edges' load grow (heartbeats every second).
    for (let index = 0; index < options.viewers; index += 1) {
      viewers.push(new DirectedViewer(choose));
      if (index % 25 === 24) await sleep(500);
    }
    const since = Date.now();
    await waitUntil(
      async () => viewers.every((viewer) => viewer.frameAt > since),
      `${options.viewers} viewers playing`,
    );
    result.spread = countByEdge(viewers);
    progress(`drill: viewers by edge ${JSON.stringify(result.spread)}`);

    const victims: Array<() => Promise<ClusterNode>> = [
      async () => busiestEdge(current, viewers),
      // The other edge: every viewer is on it now (nobody moves back to a restarted edge).
      async () => current.nodes.get(result.steps[0]!.killed === "edge-1" ? "edge-2" : "edge-1")!,
      async () => current.nodes.get((await current.registry.originOf(channel.name))!)!,
      async () => current.nodes.get((await current.registry.originOf(channel.name))!)!,
    ];
    for (const pickVictim of victims) {
      const victim = await pickVictim();
      const step = await killAndWatch(current, victim, viewers, channel.name);
      result.steps.push(step);
      progress(`drill: ${JSON.stringify(step)}`);
      await victim.restart();
      // Settle: the restarted node back in the registry, every viewer still playing.
      const settledSince = Date.now() + 2_000;
      await sleep(2_000);
      await waitUntil(
        async () => viewers.every((viewer) => viewer.frameAt > settledSince),
        "viewers settled",
      );
    }
    const broadcasts = await db.broadcast.findMany({ where: { channelId: channel.id } });
    result.broadcasts = {
      rows: broadcasts.length,
      open: broadcasts.filter((row) => row.endedAt === null).length,
    };
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    result.maxUpstreamsPerEdge = sampler?.stop() ?? null;
    for (const viewer of viewers) viewer.stop();
    await encoder?.stop();
    await web?.stop();
    await cluster?.close();
    await db.$disconnect();
    await database.drop();
  }
  return result;
}

async function killAndWatch(
  cluster: TestCluster,
  victim: ClusterNode,
  viewers: DirectedViewer[],
  channel: string,
): Promise<DrillStep> {
  const role = victim.spec.role;
  const viewersByEdge = countByEdge(viewers);
  const affected = role === "edge" ? viewers.filter((viewer) => viewer.node === victim.spec.id) : viewers;
  progress(`drill: SIGKILL ${victim.spec.id} (${affected.length} viewers affected)`);
  await victim.kill("SIGKILL");
  const killedAt = Date.now();
  const resumedAt = new Map<DirectedViewer, number>();
  let encoderBackAt: number | null = null;
  let allPlayingAt: number | null = null;
  const deadline = killedAt + STEP_TIMEOUT_MS;
  while (Date.now() < deadline && allPlayingAt === null) {
    if (role === "origin" && encoderBackAt === null) {
      const holder = await cluster.registry.originOf(channel);
      if (holder !== null && holder !== victim.spec.id) encoderBackAt = Date.now();
    }
    // Frames already on their way when an origin dies still arrive: a viewer of an origin's
    // channel has resumed only with video sent after the encoder's return.
    const resumedAfter = role === "edge" ? killedAt : encoderBackAt;
    for (const viewer of affected) {
      if (resumedAfter !== null && viewer.frameAt > resumedAfter && !resumedAt.has(viewer))
        resumedAt.set(viewer, viewer.frameAt);
    }
    if (resumedAt.size === affected.length && viewers.every((viewer) => viewer.frameAt > killedAt))
      allPlayingAt = Date.now();
    else await sleep(50);
  }
  const from = role === "edge" ? killedAt : encoderBackAt;
  const toAllPlayingMs = allPlayingAt !== null && from !== null ? allPlayingAt - from : null;
  return {
    killed: victim.spec.id,
    role,
    viewersByEdge,
    affectedViewers: affected.length,
    killToAllPlayingMs: allPlayingAt === null ? null : allPlayingAt - killedAt,
    killToEncoderBackMs: encoderBackAt === null ? null : encoderBackAt - killedAt,
    toAllPlayingMs,
    outageMs: distribution([...resumedAt.values()], { offset: killedAt, decimals: 0 }),
    isWithinTarget: toAllPlayingMs !== null && toAllPlayingMs <= 5_000,
  };
}

function countByEdge(viewers: DirectedViewer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const viewer of viewers) if (viewer.node) counts[viewer.node] = (counts[viewer.node] ?? 0) + 1;
  return counts;
}

function busiestEdge(cluster: TestCluster, viewers: DirectedViewer[]): ClusterNode {
  const [id] = Object.entries(countByEdge(viewers)).sort(([, a], [, b]) => b - a)[0]!;
  return cluster.nodes.get(id)!;
}

/** Reads every running edge's relay connections (pulled) four times a second; keeps the highest. */
class UpstreamSampler {
  private highest = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(cluster: TestCluster) {
    this.timer = setInterval(() => {
      for (const node of cluster.nodes.values()) {
        if (node.spec.role !== "edge" || !node.isRunning) continue;
        void fetch(node.httpUrl("/metrics"), { signal: AbortSignal.timeout(1_000) })
          .then((response) => response.text())
          .then((text) => {
            const pulled =
              metricValue(text, "relaycast_media_relay_connections", { direction: "pulled" }) ?? 0;
            this.highest = Math.max(this.highest, pulled);
          })
          .catch(() => {});
      }
    }, 250);
  }

  stop(): number {
    clearInterval(this.timer);
    return this.highest;
  }
}

async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
