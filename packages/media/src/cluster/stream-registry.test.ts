import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { waitFor } from "../testing/wait.ts";
import { MemoryStreamRegistry } from "./memory-stream-registry.ts";
import { RedisStreamRegistry } from "./redis-stream-registry.ts";
import type { NodeRecord, StreamRegistry } from "./stream-registry.ts";

const REDIS_URL = "redis://127.0.0.1:6379";
const TTL_MS = 400;
const prefixes: string[] = [];
const registries: StreamRegistry[] = [];

const implementations: [string, () => StreamRegistry][] = [
  ["memory", () => new MemoryStreamRegistry(TTL_MS)],
  [
    "redis",
    () => {
      const prefix = `relaycast-test:${randomBytes(6).toString("hex")}:`;
      prefixes.push(prefix);
      return new RedisStreamRegistry({ url: REDIS_URL, prefix, ttlMs: TTL_MS, nodeTtlMs: TTL_MS });
    },
  ],
];

function record(id: string, overrides: Partial<NodeRecord> = {}): NodeRecord {
  return {
    id,
    role: "origin",
    rtmpUrl: `rtmp://${id}:1935`,
    httpUrl: `http://${id}:8000`,
    apiUrl: `http://${id}:8000`,
    relayAddress: `${id}:1940`,
    capacity: { viewers: 100, mbps: 1000 },
    load: { viewers: 0, egressMbps: 0, cpu: 0 },
    channels: [],
    heartbeatAt: Date.now(),
    ...overrides,
  };
}

afterEach(async () => {
  for (const registry of registries.splice(0)) await registry.close();
});

afterAll(async () => {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
  }
  await redis.close();
});

describe.each(implementations)("%s stream registry", (_, create) => {
  const open = () => {
    const registry = create();
    registries.push(registry);
    return registry;
  };

  it("gives a channel to the first origin that claims it, and to no other", async () => {
    const registry = open();
    await registry.heartbeat(record("origin-a"));
    expect(await registry.claim("alice", "origin-a")).toBe(true);
    expect(await registry.claim("alice", "origin-b")).toBe(false);
    expect(await registry.claim("alice", "origin-a")).toBe(true);
    expect(await registry.originOf("alice")).toBe("origin-a");
    expect(await registry.originOf("bob")).toBeNull();
  });

  it("has exactly one holder when many origins race for a channel", async () => {
    const registry = open();
    for (let index = 0; index < 5; index += 1) await registry.heartbeat(record(`origin-${index}`));
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, index) => registry.claim("race", `origin-${index % 5}`)),
    );
    const winner = await registry.originOf("race");
    expect(winner).not.toBeNull();
    const winners = claims.flatMap((won, index) => (won ? [`origin-${index % 5}`] : []));
    expect(new Set(winners)).toEqual(new Set([winner]));
  });

  it("lets a claim that is not renewed expire, keeps renewed ones, and says which were lost", async () => {
    const registry = open();
    await registry.claim("kept", "origin-a");
    await registry.claim("dropped", "origin-a");
    const renewals = setInterval(() => void registry.renew(["kept"], "origin-a"), TTL_MS / 4);
    try {
      await waitFor(async () => (await registry.originOf("dropped")) === null, {
        timeoutMs: TTL_MS * 5,
        message: "the unrenewed claim to expire",
      });
      expect(await registry.originOf("kept")).toBe("origin-a");
    } finally {
      clearInterval(renewals);
    }
    expect(await registry.claim("dropped", "origin-b")).toBe(true);
    expect(await registry.renew(["kept", "dropped"], "origin-a")).toEqual(["dropped"]);
  });

  it("moves a channel to another origin at once when its holder stopped heart-beating", async () => {
    const registry = open();
    await registry.heartbeat(record("origin-a"));
    await registry.claim("alice", "origin-a");
    expect(await registry.claim("alice", "origin-b")).toBe(false);
    await registry.leave("origin-a");
    expect(await registry.claim("alice", "origin-b")).toBe(true);
    expect(await registry.originOf("alice")).toBe("origin-b");
  });

  it("releases a claim for its holder only", async () => {
    const registry = open();
    await registry.claim("alice", "origin-a");
    await registry.release("alice", "origin-b");
    expect(await registry.originOf("alice")).toBe("origin-a");
    await registry.release("alice", "origin-a");
    expect(await registry.originOf("alice")).toBeNull();
  });

  it("lists the nodes that heart-beat, forgets one that stops, and removes one that leaves", async () => {
    const registry = open();
    await registry.heartbeat(record("origin-a"));
    await registry.heartbeat(record("edge-a", { role: "edge", channels: ["alice"] }));
    expect((await registry.nodes()).map((node) => node.id).sort()).toEqual(["edge-a", "origin-a"]);
    expect((await registry.nodes()).find((node) => node.id === "edge-a")?.channels).toEqual(["alice"]);
    await registry.leave("edge-a");
    expect((await registry.nodes()).map((node) => node.id)).toEqual(["origin-a"]);
    await waitFor(async () => (await registry.nodes()).length === 0, {
      timeoutMs: TTL_MS * 5,
      message: "the silent node to drop out",
    });
  });
});

describe("redis stream registry on hosts whose clocks disagree", () => {
  it("lists a node whose clock is 10 s behind the reader's, and forgets it by Redis's clock", async () => {
    const prefix = `relaycast-test:${randomBytes(6).toString("hex")}:`;
    prefixes.push(prefix);
    const open = () => new RedisStreamRegistry({ url: REDIS_URL, prefix, ttlMs: TTL_MS, nodeTtlMs: TTL_MS });
    const [writer, reader] = [open(), open()];
    registries.push(writer, reader);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 10_000 });
    try {
      await writer.heartbeat(record("edge-behind", { role: "edge" }));
    } finally {
      vi.useRealTimers();
    }
    expect((await reader.nodes()).map((node) => node.id)).toEqual(["edge-behind"]);
    await waitFor(async () => (await reader.nodes()).length === 0, {
      timeoutMs: TTL_MS * 5,
      message: "the silent node to drop out",
    });
  });
});

describe("redis stream registry without Redis", () => {
  it("rejects calls quickly, so admission fails closed", async () => {
    const registry = new RedisStreamRegistry({
      url: "redis://127.0.0.1:1",
      ttlMs: TTL_MS,
      nodeTtlMs: TTL_MS,
    });
    registries.push(registry);
    const startedAt = Date.now();
    await expect(registry.claim("alice", "origin-a")).rejects.toThrow();
    expect(Date.now() - startedAt).toBeLessThan(3_000);
  });
});
