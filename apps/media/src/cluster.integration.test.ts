import { pickEdge, pickOrigin } from "@relaycast/media/cluster";
import { ZStreamStatus, type TStreamStatus } from "@relaycast/media/api";
import { useTestDb } from "@relaycast/db/testing/vitest";
import {
  killAllTestProcesses,
  metricValue,
  openHttpFlv,
  publishTestStream,
  seedPublisher,
  waitFor,
  type TestPublisher,
} from "@relaycast/media/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  allPlayingSince,
  DirectedViewer,
  DRAIN_TIMEOUT_MS,
  startTestCluster,
  type ChooseEdge,
  type ClusterNode,
  type TestCluster,
} from "./testing/index.ts";

const testDb = useTestDb();
let cluster: TestCluster | null = null;
const viewers: DirectedViewer[] = [];

afterEach(async () => {
  for (const viewer of viewers.splice(0)) viewer.stop();
  await killAllTestProcesses();
  await cluster?.close();
  cluster = null;
});

async function start(specs: Parameters<TestCluster["start"]>[0][]) {
  cluster = await startTestCluster({ hosts: specs.length, databaseUrl: testDb.databaseUrl() });
  const nodes: ClusterNode[] = [];
  for (const spec of specs) nodes.push(await cluster.start(spec));
  return { cluster, nodes };
}

async function streamStatus(node: ClusterNode, channel: string): Promise<TStreamStatus | null> {
  const response = await fetch(node.httpUrl(`/api/v1/streams/${channel}`));
  if (response.status === 404) return null;
  return ZStreamStatus.parse(await response.json());
}

async function metrics(node: ClusterNode): Promise<string> {
  return (await fetch(node.httpUrl("/metrics"))).text();
}

/** A new channel, published straight to `origin` and live there. */
async function goLive(origin: ClusterNode) {
  const { channel, streamKey } = await seedPublisher(testDb.db());
  publishTestStream(origin.rtmpUrl(`live/${streamKey}`), { gop: 15 });
  await waitFor(async () => (await streamStatus(origin, channel.name))?.health.video.codec, {
    timeoutMs: 20_000,
    message: "the channel live on its origin",
  });
  return channel;
}

/** Publishes to the origin the director gives a broadcaster, as OBS pointed at the ingest URL would. */
async function publishThroughDirector(current: TestCluster, streamKey: string): Promise<TestPublisher> {
  const origin = pickOrigin(await current.registry.nodes());
  if (!origin) throw new Error("no origin in the registry");
  return publishTestStream(`${origin.rtmpUrl}/live/${streamKey}`, { gop: 15 });
}

/** Every viewer got video after `since`, within `timeoutMs`. */
async function expectAllPlayingSince(
  list: DirectedViewer[],
  since: number,
  timeoutMs: number,
  message: string,
) {
  if ((await allPlayingSince(list, since, timeoutMs)) === null)
    throw new Error(`timed out waiting for ${message}`);
}

/** A viewer who plays at this node, whatever happens. */
function viewerOn(node: ClusterNode, channel: string): DirectedViewer {
  return watch(async () => ({ node: node.spec.id, flvUrl: node.httpUrl(`/live/${channel}.flv`) }));
}

/** A viewer directed as the web's director directs (pickEdge over the registry). */
function directedViewer(current: TestCluster, channel: string): DirectedViewer {
  return watch(async () => {
    const edge = pickEdge(await current.registry.nodes(), channel);
    return edge && { node: edge.id, flvUrl: `${edge.httpUrl}/live/${channel}.flv` };
  });
}

function watch(choose: ChooseEdge): DirectedViewer {
  const viewer = new DirectedViewer(choose);
  viewers.push(viewer);
  return viewer;
}

describe("a cluster of origins and edges on separate hosts", () => {
  it("serves 200 viewers on one edge with exactly one upstream, and sends viewers past its capacity to a sibling", async () => {
    const { cluster: current, nodes } = await start([
      { id: "origin-a", role: "origin" },
      { id: "edge-a", role: "edge", capacityViewers: 200 },
      { id: "edge-b", role: "edge" },
    ]);
    const [origin, edgeA, edgeB] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const channel = await goLive(origin);
    const onA = Array.from({ length: 200 }, () => viewerOn(edgeA, channel.name));
    const startedAt = Date.now();
    await expectAllPlayingSince(onA, startedAt, 20_000, "200 viewers playing on edge A");

    const status = (await streamStatus(origin, channel.name))!;
    expect(status.source).toEqual({ kind: "ingest" });
    expect(status.relaySubscribers.map((each) => each.node)).toEqual(["edge-a"]);
    expect(metricValue(await metrics(edgeA), "relaycast_media_upstreams")).toBe(1);
    expect(
      metricValue(await metrics(edgeA), "relaycast_media_relay_connections", { direction: "pulled" }),
    ).toBe(1);
    expect((await streamStatus(edgeA, channel.name))?.source).toEqual({ kind: "relay", origin: "origin-a" });
    // The origin counts the viewers its edges report.
    await waitFor(async () => (await streamStatus(origin, channel.name))?.viewers.total === 200, {
      timeoutMs: 10_000,
      message: "the origin to count edge A's 200 viewers",
    });

    // Edge A is full: a new viewer is sent to edge B, for every protocol.
    await waitFor(
      async () => (await current.registry.nodes()).find((node) => node.id === "edge-a")?.load.viewers === 200,
      {
        timeoutMs: 10_000,
        message: "edge A's load in the registry",
      },
    );
    const flv = await fetch(edgeA.httpUrl(`/live/${channel.name}.flv`), { redirect: "manual" });
    expect(flv.status).toBe(302);
    expect(flv.headers.get("location")).toBe(edgeB.httpUrl(`/live/${channel.name}.flv`));
    const hls = await fetch(edgeA.httpUrl(`/hls/${channel.name}/index.m3u8`), { redirect: "manual" });
    expect(hls.status).toBe(302);
    expect(hls.headers.get("location")).toBe(edgeB.httpUrl(`/hls/${channel.name}/index.m3u8`));
    const redirected = await openHttpFlv(flv.headers.get("location")!, { keepBodies: false });
    await redirected.until((viewer) => viewer.videoTimestamps().length > 10, 15_000, "video from edge B");
    redirected.close();
    expect(
      metricValue(await metrics(edgeA), "relaycast_media_redirects_total", { protocol: "http-flv" }),
    ).toBe(1);
  });

  it("brings every viewer of a killed edge back within 5 s, through the director", async () => {
    const { cluster: current, nodes } = await start([
      { id: "origin-a", role: "origin" },
      { id: "edge-a", role: "edge" },
      { id: "edge-b", role: "edge" },
    ]);
    const [origin, edgeA] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const channel = await goLive(origin);
    const onA = Array.from({ length: 20 }, () => viewerOn(edgeA, channel.name));
    await expectAllPlayingSince(onA, Date.now(), 15_000, "viewers playing on edge A");
    // From now on, the viewers ask the director, as the web player does.
    const directed = Array.from({ length: 20 }, () => directedViewer(current, channel.name));
    for (const viewer of onA) viewer.stop();
    await expectAllPlayingSince(directed, Date.now(), 15_000, "directed viewers playing");

    const victim = directed[0]!.node === "edge-a" ? edgeA : nodes[2]!;
    await victim.kill("SIGKILL");
    const killedAt = Date.now();
    await expectAllPlayingSince(directed, killedAt + 500, 5_000, "every viewer playing again within 5 s");
    expect(directed.every((viewer) => viewer.node !== victim.spec.id)).toBe(true);
  });

  it("drains an edge stopped with SIGTERM: it leaves the director, its viewers move, and it exits in time", async () => {
    const { cluster: current, nodes } = await start([
      { id: "origin-a", role: "origin" },
      { id: "edge-a", role: "edge" },
      { id: "edge-b", role: "edge" },
    ]);
    const [origin, edgeA, edgeB] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const channel = await goLive(origin);
    const directed = Array.from({ length: 20 }, () => directedViewer(current, channel.name));
    await expectAllPlayingSince(directed, Date.now(), 15_000, "directed viewers playing");
    const stopped = directed[0]!.node === "edge-a" ? edgeA : edgeB;

    const sibling = stopped === edgeA ? edgeB : edgeA;
    const stoppedAt = Date.now();
    const exiting = stopped.kill("SIGTERM");
    // While it drains, it says it is not ready, and a player that still arrives is sent to the sibling.
    await waitFor(
      async () => {
        const ready = await fetch(stopped.httpUrl("/readyz"));
        const flv = await fetch(stopped.httpUrl(`/live/${channel.name}.flv`), { redirect: "manual" });
        await Promise.all([ready.body?.cancel(), flv.body?.cancel()]);
        return (
          ready.status === 503 &&
          flv.status === 302 &&
          flv.headers.get("location") === sibling.httpUrl(`/live/${channel.name}.flv`)
        );
      },
      { timeoutMs: 2_000, intervalMs: 20, message: "unready, and a redirect to the sibling, while draining" },
    );
    const exit = await exiting;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(DRAIN_TIMEOUT_MS + 2_000);
    expect((await current.registry.nodes()).map((node) => node.id)).not.toContain(stopped.spec.id);
    await expectAllPlayingSince(directed, Date.now(), 5_000, "every viewer playing on the other edge");
    expect(directed.every((viewer) => viewer.node !== stopped.spec.id)).toBe(true);
  });

  it("moves a channel to another origin when its origin is killed: the encoder reconnects, edges follow, one Broadcast", async () => {
    const { cluster: current } = await start([
      { id: "origin-a", role: "origin" },
      { id: "origin-b", role: "origin" },
      { id: "edge-a", role: "edge" },
      { id: "edge-b", role: "edge" },
    ]);
    const { channel, streamKey } = await seedPublisher(testDb.db());
    let publisher = await publishThroughDirector(current, streamKey);
    const holder = await waitFor(async () => current.registry.originOf(channel.name), {
      timeoutMs: 20_000,
      message: "an origin to claim the channel",
    });
    const origin = current.nodes.get(holder)!;
    await waitFor(async () => (await streamStatus(origin, channel.name))?.health.video.codec, {
      timeoutMs: 20_000,
      message: "the channel live",
    });
    const watching = Array.from({ length: 30 }, () => directedViewer(current, channel.name));
    await expectAllPlayingSince(watching, Date.now(), 15_000, "viewers playing");

    await origin.kill("SIGKILL");
    const killedAt = Date.now();
    // OBS retries a lost connection after a couple of seconds, to the same ingest name.
    publisher.kill();
    await waitFor(async () => !(await current.registry.nodes()).some((node) => node.id === holder), {
      timeoutMs: 5_000,
      message: "the killed origin out of the registry",
    });
    publisher = await publishThroughDirector(current, streamKey);
    const restartedAt = Date.now();
    const newHolder = await waitFor(
      async () => {
        const id = await current.registry.originOf(channel.name);
        return id && id !== holder ? id : null;
      },
      { timeoutMs: 10_000, message: "the other origin to claim the channel" },
    );
    await expectAllPlayingSince(
      watching,
      restartedAt,
      5_000,
      "viewers playing again within 5 s of the encoder's return",
    );
    expect(newHolder).not.toBe(holder);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    const newOrigin = current.nodes.get(newHolder)!;
    await waitFor(async () => (await streamStatus(newOrigin, channel.name))?.relaySubscribers.length ?? 0, {
      timeoutMs: 5_000,
      message: "the edges subscribed to the new origin",
    });
    for (const edge of [current.nodes.get("edge-a")!, current.nodes.get("edge-b")!]) {
      const status = await streamStatus(edge, channel.name);
      if (status) expect(status.source).toEqual({ kind: "relay", origin: newHolder });
      expect(metricValue(await metrics(edge), "relaycast_media_upstreams") ?? 0).toBeLessThanOrEqual(1);
    }
    const broadcasts = await testDb.db().broadcast.findMany({ where: { channelId: channel.id } });
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]).toMatchObject({ originNode: newHolder, endedAt: null });

    // One recording, in two parts: what each origin carried, joined into one video when it ends.
    await publisher.stop();
    const recording = await waitFor(
      () => testDb.db().recording.findFirst({ where: { broadcastId: broadcasts[0]!.id, status: "ready" } }),
      { timeoutMs: 30_000, message: "the recording to become a video" },
    );
    expect(recording.files).toEqual(["part-1", "part-2"]);
    const playlist = await (await fetch(newOrigin.httpUrl(`/vod/${recording.id}/index.m3u8`))).text();
    expect(playlist).toContain("part-1/seg-");
    expect(playlist).toContain("#EXT-X-DISCONTINUITY\n#EXTINF");
    expect(playlist).toContain("part-2/seg-");
    expect(playlist.trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true);
  });

  it("lets no node without the cluster secret pull a stream, and a node with it play HLS at once", async () => {
    const { nodes } = await start([
      { id: "origin-a", role: "origin" },
      { id: "edge-x", role: "edge", secret: "not-the-cluster-secret-0000000000000000" },
      { id: "edge-a", role: "edge" },
    ]);
    const [origin, impostor, edge] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const channel = await goLive(origin);
    const response = await fetch(impostor.httpUrl(`/live/${channel.name}.flv`));
    expect(response.status).toBe(404);
    await response.body?.cancel();
    expect(metricValue(await metrics(impostor), "relaycast_media_relay_auth_failures_total")).toBeGreaterThan(
      0,
    );
    expect((await streamStatus(origin, channel.name))?.relaySubscribers).toEqual([]);

    // A first HLS request on an edge that does not carry the channel yet waits for its playlist.
    const playlist = await fetch(edge.httpUrl(`/hls/${channel.name}/index.m3u8`));
    expect(playlist.status).toBe(200);
    expect(await playlist.text()).toContain("#EXTINF");
    expect((await streamStatus(origin, channel.name))?.relaySubscribers.map((each) => each.node)).toEqual([
      "edge-a",
    ]);
  });

  it("never has a channel live on two origins when two encoders race for it", async () => {
    const { nodes } = await start([
      { id: "origin-a", role: "origin" },
      { id: "origin-b", role: "origin" },
    ]);
    const [originA, originB] = nodes as [ClusterNode, ClusterNode];
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const first = publishTestStream(originA.rtmpUrl(`live/${streamKey}`), { gop: 15 });
    const second = publishTestStream(originB.rtmpUrl(`live/${streamKey}`), { gop: 15 });
    const loser = await Promise.race([first.exited.then(() => first), second.exited.then(() => second)]);
    const winner = loser === first ? originB : originA;
    await waitFor(async () => (await streamStatus(winner, channel.name))?.health.video.codec, {
      timeoutMs: 20_000,
      message: "the winner live",
    });
    expect(await streamStatus(winner === originA ? originB : originA, channel.name)).toBeNull();
    expect((await loser.exited).stderr).toContain("already live");
    expect(await testDb.db().broadcast.count({ where: { channelId: channel.id } })).toBe(1);
  });
});
