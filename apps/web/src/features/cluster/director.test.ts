import type { NodeRecord } from "@relaycast/media/cluster";
import { describe, expect, it } from "vitest";
import { directBroadcaster, directViewer } from "./director.ts";
import { SINGLE_NODE_ID, singleNodeSource, type NodeSource } from "./node-source.ts";

function node(
  id: string,
  role: NodeRecord["role"],
  viewers: number,
  extra: Partial<NodeRecord> = {},
): NodeRecord {
  return {
    id,
    role,
    rtmpUrl: `rtmp://${id}.test:1935`,
    httpUrl: `http://${id}.test:8000`,
    apiUrl: `http://${id}.internal:8000`,
    relayAddress: role === "edge" ? null : `${id}.internal:1940`,
    capacity: { viewers: 100, mbps: 1000 },
    load: { viewers, egressMbps: 0, cpu: 0 },
    channels: [],
    heartbeatAt: 0,
    ...extra,
  };
}

/** A cluster of fixed records, read as the web reads the registry. */
function cluster(nodes: NodeRecord[], origins: Record<string, string> = {}): NodeSource {
  return { nodes: async () => nodes, originOf: async (channel) => origins[channel] ?? null };
}

const CLUSTER = cluster(
  [
    node("origin-a", "origin", 0),
    node("edge-a", "edge", 40, { channels: ["alice"] }),
    node("edge-b", "edge", 10),
  ],
  { alice: "origin-a" },
);

describe("directViewer (GET /api/v1/channels/<name>/play)", () => {
  it("sends a viewer to the edge already carrying the channel, with its URL for every protocol", async () => {
    expect(await directViewer(CLUSTER, { name: "alice", liveState: "live" })).toEqual({
      channel: "alice",
      liveState: "live",
      node: "edge-a",
      sources: [
        { kind: "ws-flv", type: "video/x-flv", src: "ws://edge-a.test:8000/live/alice.flv" },
        { kind: "http-flv", type: "video/x-flv", src: "http://edge-a.test:8000/live/alice.flv" },
        { kind: "hls", type: "application/x-mpegURL", src: "http://edge-a.test:8000/hls/alice/index.m3u8" },
      ],
      rtmpUrl: "rtmp://edge-a.test:1935/live/alice",
    });
  });

  it("sends a viewer of a channel no edge carries yet to the least loaded edge, never to an origin", async () => {
    const answer = await directViewer(CLUSTER, { name: "bob", liveState: "reconnecting" });
    expect(answer.node).toBe("edge-b");
    expect(answer.liveState).toBe("reconnecting");
    expect(answer.sources.map((source) => new URL(source.src).host)).toEqual([
      "edge-b.test:8000",
      "edge-b.test:8000",
      "edge-b.test:8000",
    ]);
  });

  it("sends a viewer past a full carrier to a sibling with headroom", async () => {
    const full = cluster([node("edge-a", "edge", 100, { channels: ["alice"] }), node("edge-b", "edge", 90)]);
    expect((await directViewer(full, { name: "alice", liveState: "live" })).node).toBe("edge-b");
  });

  it("sends a viewer who just lost an edge to another one, and back to it only when it is the last", async () => {
    expect((await directViewer(CLUSTER, { name: "alice", liveState: "live" }, "edge-a")).node).toBe("edge-b");
    const lastEdge = cluster([
      node("origin-a", "origin", 0),
      node("edge-a", "edge", 10, { channels: ["alice"] }),
    ]);
    expect((await directViewer(lastEdge, { name: "alice", liveState: "live" }, "edge-a")).node).toBe(
      "edge-a",
    );
  });

  it("answers no sources for an offline channel, or when no node serves viewers", async () => {
    const offline = { channel: "alice", liveState: "offline", node: null, sources: [], rtmpUrl: null };
    expect(await directViewer(CLUSTER, { name: "alice", liveState: "offline" })).toEqual(offline);
    const originsOnly = cluster([node("origin-a", "origin", 0)]);
    expect(await directViewer(originsOnly, { name: "alice", liveState: "live" })).toEqual({
      ...offline,
      liveState: "live",
    });
  });

  it("on one machine, sends every viewer to the configured media node", async () => {
    const local = singleNodeSource({
      httpUrl: "https://media.example",
      apiUrl: "http://127.0.0.1:8000",
      rtmpUrl: "rtmp://media.example:1935",
    });
    const answer = await directViewer(local, { name: "alice", liveState: "live" });
    expect(answer.node).toBe(SINGLE_NODE_ID);
    expect(answer.sources[0]!.src).toBe("wss://media.example/live/alice.flv");
    expect(answer.rtmpUrl).toBe("rtmp://media.example:1935/live/alice");
    expect(await local.originOf("alice")).toBe(SINGLE_NODE_ID);
  });
});

describe("directBroadcaster (GET /api/v1/ingest)", () => {
  it("gives a broadcaster the least loaded node taking publishers, with no key in the URL", async () => {
    const origins = cluster([
      node("edge-a", "edge", 0),
      node("origin-a", "origin", 60),
      node("origin-b", "origin", 20),
    ]);
    expect(await directBroadcaster(origins, undefined)).toEqual({
      rtmpUrl: "rtmp://origin-b.test:1935/live",
      node: "origin-b",
    });
  });

  it("gives the configured ingest name (one name for every origin) when there is one", async () => {
    expect(await directBroadcaster(CLUSTER, "rtmp://ingest.example/live")).toEqual({
      rtmpUrl: "rtmp://ingest.example/live",
      node: null,
    });
  });

  it("answers none when no node takes publishers", async () => {
    expect(await directBroadcaster(cluster([node("edge-a", "edge", 0)]), undefined)).toBeNull();
  });

  it("on one machine, gives the configured media node", async () => {
    const local = singleNodeSource({
      httpUrl: "http://localhost:8000",
      apiUrl: "http://127.0.0.1:8000",
      rtmpUrl: "rtmp://localhost:1935",
    });
    expect(await directBroadcaster(local, undefined)).toEqual({
      rtmpUrl: "rtmp://localhost:1935/live",
      node: SINGLE_NODE_ID,
    });
  });
});
