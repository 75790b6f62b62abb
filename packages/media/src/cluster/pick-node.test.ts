import { describe, expect, it } from "vitest";
import { pickEdge, pickOrigin } from "./pick-node.ts";
import type { NodeRecord } from "./stream-registry.ts";

function node(
  id: string,
  role: NodeRecord["role"],
  viewers: number,
  extra: Partial<NodeRecord> = {},
): NodeRecord {
  return {
    id,
    role,
    rtmpUrl: `rtmp://${id}:1935`,
    httpUrl: `http://${id}:8000`,
    apiUrl: `http://${id}:8000`,
    relayAddress: role === "edge" ? null : `${id}:1940`,
    capacity: { viewers: 100, mbps: 1000 },
    load: { viewers, egressMbps: 0, cpu: 0 },
    channels: [],
    heartbeatAt: 0,
    ...extra,
  };
}

describe("pickEdge", () => {
  it("prefers an edge already carrying the channel while it has headroom", () => {
    const nodes = [node("edge-a", "edge", 10), node("edge-b", "edge", 60, { channels: ["alice"] })];
    expect(pickEdge(nodes, "alice")?.id).toBe("edge-b");
  });

  it("takes the least loaded edge with headroom when the carrier is full", () => {
    const nodes = [
      node("edge-a", "edge", 100, { channels: ["alice"] }),
      node("edge-b", "edge", 30),
      node("edge-c", "edge", 20),
    ];
    expect(pickEdge(nodes, "alice")?.id).toBe("edge-c");
  });

  it("counts bandwidth as well as viewers, and never sends viewers to an origin", () => {
    const nodes = [
      node("origin-a", "origin", 0),
      node("edge-a", "edge", 10, { load: { viewers: 10, egressMbps: 900, cpu: 0 } }),
      node("edge-b", "edge", 50),
    ];
    expect(pickEdge(nodes, "alice")?.id).toBe("edge-b");
  });

  it("still answers when every edge is full, and breaks ties by CPU then id", () => {
    expect(pickEdge([node("edge-b", "edge", 150), node("edge-a", "edge", 120)], "alice")?.id).toBe("edge-a");
    const tied = [
      node("edge-b", "edge", 10, { load: { viewers: 10, egressMbps: 0, cpu: 0.5 } }),
      node("edge-a", "edge", 10, { load: { viewers: 10, egressMbps: 0, cpu: 0.9 } }),
      node("edge-c", "edge", 10, { load: { viewers: 10, egressMbps: 0, cpu: 0.5 } }),
    ];
    expect(pickEdge(tied, "alice")?.id).toBe("edge-b");
    expect(pickEdge([node("origin-a", "origin", 0)], "alice")).toBeNull();
  });
});

describe("pickOrigin", () => {
  it("gives a broadcaster the least loaded node that takes publishers", () => {
    const nodes = [node("edge-a", "edge", 0), node("origin-a", "origin", 50), node("all-1", "all", 20)];
    expect(pickOrigin(nodes)?.id).toBe("all-1");
    expect(pickOrigin([node("edge-a", "edge", 0)])).toBeNull();
  });
});
