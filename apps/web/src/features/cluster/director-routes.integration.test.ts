import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openBroadcast, type Db } from "@relaycast/db";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import type { TStreamStatus } from "@relaycast/media/api";
import { createStreamRegistry, type NodeRecord } from "@relaycast/media/cluster";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getChannel } from "@/app/api/v1/channels/[name]/route.ts";
import { GET as getPlay } from "@/app/api/v1/channels/[name]/play/route.ts";
import { GET as getIngest } from "@/app/api/v1/ingest/route.ts";
import { listLiveChannelStates } from "../live/channel-status.ts";

const REDIS_URL = "redis://127.0.0.1:6379";
const PREFIX = `relaycast-test:director:${randomBytes(6).toString("hex")}:`;
const testDb = useTestDb();
/** The test writes the cluster's records as its nodes would; they outlive the test, then are removed. */
const registry = createStreamRegistry({
  redisUrl: REDIS_URL,
  prefix: PREFIX,
  ttlMs: 60_000,
  nodeTtlMs: 60_000,
});
const nodes: NodeRecord[] = [];
const claims: [channel: string, nodeId: string][] = [];
const servers: Server[] = [];

function record(id: string, role: NodeRecord["role"], extra: Partial<NodeRecord> = {}): NodeRecord {
  return {
    id,
    role,
    rtmpUrl: `rtmp://${id}.test:1935`,
    httpUrl: `http://${id}.test:8000`,
    apiUrl: "http://127.0.0.1:9",
    relayAddress: role === "edge" ? null : `${id}.internal:1940`,
    capacity: { viewers: 100, mbps: 1000 },
    load: { viewers: 0, egressMbps: 0, cpu: 0 },
    channels: [],
    heartbeatAt: Date.now(),
    ...extra,
  };
}

function streamStatus(channel: string, viewers: number): TStreamStatus {
  return {
    channel,
    state: "live",
    startedAt: new Date().toISOString(),
    uptimeSeconds: 1,
    viewers: { "http-flv": 0, "ws-flv": viewers, rtmp: 0, hls: 0, total: viewers },
    health: {
      video: { codec: "H264", width: 1280, height: 720, fps: 30 },
      audio: { codec: "AAC", sampleRate: 48000, channels: 2 },
      ingestKbps: 2500,
      keyframeIntervalMs: 2000,
    },
    source: { kind: "ingest" },
    relaySubscribers: [],
  };
}

/** An origin's stream API on a real socket, describing the channels it holds. */
async function startOriginApi(streams: TStreamStatus[]): Promise<string> {
  const server = createServer((request, response) => {
    const channel = /^\/api\/v1\/streams\/([^/?]+)$/.exec(request.url ?? "")?.[1];
    const found = streams.find((status) => status.channel === channel);
    if (request.url === "/api/v1/streams") response.end(JSON.stringify({ streams }));
    else if (found) response.end(JSON.stringify(found));
    else response.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function join(node: NodeRecord) {
  nodes.push(node);
  await registry.heartbeat(node);
}

/** A channel live on `originId`: its broadcast row open, its claim in the registry. */
async function goLive(db: Db, originId: string) {
  const { channel } = await seedChannel(db);
  await openBroadcast(db, { channelId: channel.id, originNode: originId });
  claims.push([channel.name, originId]);
  await registry.claim(channel.name, originId);
  return channel.name;
}

const request = (path: string) =>
  new NextRequest(`http://site.test${path}`, { headers: { host: "site.test" } });
const params = (name: string) => ({ params: Promise.resolve({ name }) });

let alice: string;
let bob: string;

beforeAll(async () => {
  Object.assign(process.env, {
    DATABASE_URL: testDb.databaseUrl(),
    WEB_AUTH_SECRET: randomBytes(32).toString("hex"),
    REDIS_URL,
    CLUSTER_REGISTRY_PREFIX: PREFIX,
    LOG_LEVEL: "silent",
  });
  (globalThis as { relaycastDb?: Db }).relaycastDb = testDb.db();
  alice = await goLive(testDb.db(), "origin-a");
  bob = await goLive(testDb.db(), "origin-b");
  await join(record("origin-a", "origin", { apiUrl: await startOriginApi([streamStatus(alice, 7)]) }));
  await join(
    record("origin-b", "origin", {
      apiUrl: await startOriginApi([streamStatus(bob, 3)]),
      load: { viewers: 0, egressMbps: 5, cpu: 0.1 },
    }),
  );
  await join(
    record("edge-a", "edge", { channels: [alice], load: { viewers: 40, egressMbps: 100, cpu: 0.5 } }),
  );
  await join(record("edge-b", "edge", { load: { viewers: 10, egressMbps: 25, cpu: 0.2 } }));
});

afterAll(async () => {
  await Promise.all(claims.map(([channel, nodeId]) => registry.release(channel, nodeId)));
  await Promise.all(nodes.map((node) => registry.leave(node.id)));
  await registry.close();
  for (const server of servers) server.close();
});

describe("the director's routes, in a cluster read from the registry in Redis", () => {
  it("GET /play sends a viewer to the edge carrying the channel, with its URLs for every protocol", async () => {
    const response = await getPlay(request(`/api/v1/channels/${alice}/play`), params(alice));
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      channel: alice,
      liveState: "live",
      node: "edge-a",
      sources: [
        { kind: "ws-flv", type: "video/x-flv", src: `ws://edge-a.test:8000/live/${alice}.flv` },
        { kind: "http-flv", type: "video/x-flv", src: `http://edge-a.test:8000/live/${alice}.flv` },
        {
          kind: "hls",
          type: "application/x-mpegURL",
          src: `http://edge-a.test:8000/hls/${alice}/index.m3u8`,
        },
      ],
      rtmpUrl: `rtmp://edge-a.test:1935/live/${alice}`,
    });
  });

  it("GET /play sends a viewer of a channel no edge carries to the least loaded edge", async () => {
    const body = (await (await getPlay(request(`/api/v1/channels/${bob}/play`), params(bob))).json()) as {
      node: string;
    };
    expect(body.node).toBe("edge-b");
  });

  it("GET /play answers no sources for an offline channel, and 404 for no channel", async () => {
    const { channel } = await seedChannel(testDb.db());
    const body = await (
      await getPlay(request(`/api/v1/channels/${channel.name}/play`), params(channel.name))
    ).json();
    expect(body).toMatchObject({ liveState: "offline", node: null, sources: [], rtmpUrl: null });
    expect((await getPlay(request("/api/v1/channels/nobody/play"), params("nobody"))).status).toBe(404);
  });

  it("GET /ingest gives the least loaded origin, with no key in it", async () => {
    const response = await getIngest(request("/api/v1/ingest"));
    expect(await response.json()).toEqual({ rtmpUrl: "rtmp://origin-a.test:1935/live", node: "origin-a" });
  });

  it("reads a channel's status from the origin holding it, and the live list from every origin", async () => {
    const body = (await (await getChannel(request(`/api/v1/channels/${bob}`), params(bob))).json()) as {
      viewers: number;
      thumbnailUrl: string;
    };
    expect(body.viewers).toBe(3);
    expect(body.thumbnailUrl).toBe(`http://origin-b.test:8000/thumbnails/${bob}.jpg`);
    const live = await listLiveChannelStates();
    expect(live.map((state) => [state.name, state.viewers])).toEqual([
      [alice, 7],
      [bob, 3],
    ]);
  });
});
