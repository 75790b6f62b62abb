import { createLogger } from "@relaycast/logger";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait.ts";
import { MemoryStreamRegistry } from "./memory-stream-registry.ts";
import { NodeHeartbeat } from "./node-heartbeat.ts";
import { RedisStreamRegistry } from "./redis-stream-registry.ts";
import type { StreamRegistry } from "./stream-registry.ts";

const heartbeats: NodeHeartbeat[] = [];
afterEach(async () => {
  for (const heartbeat of heartbeats.splice(0)) await heartbeat.close();
});

function originRecord(id: string, channels: string[]) {
  return {
    id,
    role: "origin" as const,
    rtmpUrl: `rtmp://${id}:1935`,
    httpUrl: `http://${id}:8000`,
    apiUrl: `http://${id}:8000`,
    relayAddress: `${id}:1940`,
    capacity: { viewers: 100, mbps: 100 },
    load: { viewers: 3, egressMbps: 1 },
    channels,
  };
}

function start(registry: StreamRegistry, channels: string[], lost: string[][] = []) {
  const heartbeat = new NodeHeartbeat({
    registry,
    nodeId: "origin-a",
    intervalMs: 50,
    record: () => originRecord("origin-a", channels),
    claimedChannels: () => channels,
    lost: (each) => void lost.push(each),
    refreshed: () => {},
    log: createLogger({ name: "test", level: "silent" }),
  });
  heartbeats.push(heartbeat);
  return heartbeat;
}

describe("NodeHeartbeat", () => {
  it("lists the node with its load and CPU, and renews its claims", async () => {
    const registry = new MemoryStreamRegistry(200);
    await registry.claim("alice", "origin-a");
    await start(registry, ["alice"]).start();
    const [record] = await registry.nodes();
    expect(record).toMatchObject({
      id: "origin-a",
      load: { viewers: 3, egressMbps: 1 },
      channels: ["alice"],
    });
    expect(record!.load.cpu).toBeGreaterThanOrEqual(0);
    // Renewed past several TTLs.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await registry.originOf("alice")).toBe("origin-a");
  });

  it("reports a claim another origin took over as lost", async () => {
    const registry = new MemoryStreamRegistry(200, 5_000);
    const lost: string[][] = [];
    const originB = originRecord("origin-b", ["alice"]);
    await registry.heartbeat({ ...originB, load: { ...originB.load, cpu: 0 }, heartbeatAt: Date.now() });
    await registry.claim("alice", "origin-b");
    await start(registry, ["alice"], lost).start();
    await waitFor(() => lost.length > 0, { timeoutMs: 2_000, message: "the lost claim" });
    expect(lost[0]).toEqual(["alice"]);
  });

  it("keeps trying while Redis is away, and leaves the registry on close", async () => {
    const registry = new RedisStreamRegistry({ url: "redis://127.0.0.1:1", ttlMs: 500, nodeTtlMs: 500 });
    const heartbeat = start(registry, []);
    await heartbeat.start();
    expect(heartbeat.lastHeartbeatAt).toBe(0);
    await heartbeat.close();
    heartbeats.pop();
    await registry.close();

    const memory = new MemoryStreamRegistry(5_000);
    const leaving = start(memory, []);
    await leaving.start();
    expect(leaving.lastHeartbeatAt).toBeGreaterThan(0);
    await leaving.close();
    heartbeats.pop();
    expect(await memory.nodes()).toEqual([]);
  });
});
