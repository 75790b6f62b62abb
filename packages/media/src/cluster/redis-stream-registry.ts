import { createClient, type RedisClientType } from "redis";
import type { NodeRecord, StreamRegistry } from "./stream-registry.ts";

/** Renews a claim only for its holder: KEYS[1] the claim, ARGV[1] the node, ARGV[2] the TTL. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** Deletes a claim only for its holder. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * Claims a channel for ARGV[1]: when it is free, already this node's, or held by a node whose record
 * is gone (it stopped heart-beating: a dead origin's channels move without waiting for their claims
 * to run out). ARGV[3] is the prefix of node record keys.
 */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] or redis.call('EXISTS', ARGV[3] .. holder) == 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Redis's own clock in milliseconds: every node's record expires by one clock, whatever the hosts' say. */
const NOW_MS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * Writes a node record (KEYS[1], ARGV[1]) for ARGV[2] ms and indexes its id (ARGV[3]) in the sorted
 * set KEYS[2], scored by when it expires.
 */
const HEARTBEAT = `${NOW_MS}
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[3])
return 1`;

/** Drops expired ids from the index KEYS[1], then reads the live records (key prefix ARGV[1]). */
const NODES = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
if #ids == 0 then return {} end
local keys = {}
for index, id in ipairs(ids) do keys[index] = ARGV[1] .. id end
return redis.call('MGET', unpack(keys))`;

/** How long a call waits for Redis to be reachable before it fails. */
const CONNECT_WAIT_MS = 2_000;

function waitUntilReady(redis: RedisClientType): Promise<void> {
  if (redis.isReady) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", ready);
      reject(new Error("Redis is unavailable"));
    }, CONNECT_WAIT_MS);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", ready);
  });
}

export type RedisStreamRegistryOptions = {
  url: string;
  /** Every key starts with it (default `relaycast:`), so clusters and tests can share one Redis. */
  prefix?: string;
  /** How long a claim lives without renewal. */
  ttlMs: number;
  /** How long a node record lives without a heartbeat (at most `ttlMs`). */
  nodeTtlMs: number;
};

/**
 * The cluster's registry in Redis. A claim is one key per channel, set only when free (so two
 * origins can never both hold a channel) and kept alive by its holder's heartbeat. A node record is
 * one key with the same TTL, indexed by a sorted set scored by expiry on Redis's clock, so listing
 * the nodes is one call with no KEYS or SCAN, never returns one that stopped heart-beating, and does
 * not depend on the hosts' clocks agreeing.
 */
export class RedisStreamRegistry implements StreamRegistry {
  private readonly redis: RedisClientType;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly nodeTtlMs: number;
  private connecting: Promise<unknown> | null = null;

  constructor(options: RedisStreamRegistryOptions) {
    this.prefix = options.prefix ?? "relaycast:";
    this.ttlMs = options.ttlMs;
    this.nodeTtlMs = options.nodeTtlMs;
    this.redis = createClient({
      url: options.url,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
      // A call while Redis is away fails at once (admission fails closed) rather than queueing.
      disableOfflineQueue: true,
    });
    // Errors are the callers' to report (each call rejects); the client reconnects by itself.
    this.redis.on("error", () => {});
  }

  async claim(channel: string, nodeId: string): Promise<boolean> {
    const redis = await this.client();
    const claimed = await redis.eval(CLAIM, {
      keys: [this.claimKey(channel)],
      arguments: [nodeId, String(this.ttlMs), this.nodeKey("")],
    });
    return Number(claimed) === 1;
  }

  async renew(channels: string[], nodeId: string): Promise<string[]> {
    if (channels.length === 0) return [];
    const redis = await this.client();
    const results = await Promise.all(
      channels.map((channel) =>
        redis.eval(RENEW, { keys: [this.claimKey(channel)], arguments: [nodeId, String(this.ttlMs)] }),
      ),
    );
    return channels.filter((_, index) => Number(results[index]) !== 1);
  }

  async release(channel: string, nodeId: string): Promise<void> {
    const redis = await this.client();
    await redis.eval(RELEASE, { keys: [this.claimKey(channel)], arguments: [nodeId] });
  }

  async originOf(channel: string): Promise<string | null> {
    const redis = await this.client();
    return redis.get(this.claimKey(channel));
  }

  async heartbeat(record: NodeRecord): Promise<void> {
    const redis = await this.client();
    await redis.eval(HEARTBEAT, {
      keys: [this.nodeKey(record.id), this.indexKey()],
      arguments: [JSON.stringify(record), String(this.nodeTtlMs), record.id],
    });
  }

  async leave(nodeId: string): Promise<void> {
    const redis = await this.client();
    await redis.multi().del(this.nodeKey(nodeId)).zRem(this.indexKey(), nodeId).exec();
  }

  async nodes(): Promise<NodeRecord[]> {
    const redis = await this.client();
    const records = (await redis.eval(NODES, { keys: [this.indexKey()], arguments: [this.nodeKey("")] })) as (
      string | null
    )[];
    return records.flatMap((record) => (record ? [JSON.parse(record) as NodeRecord] : []));
  }

  async close(): Promise<void> {
    if (this.redis.isOpen) this.redis.destroy();
  }

  /**
   * The client, once connected. The first call starts connecting, and the client keeps reconnecting
   * by itself from then on; while Redis is away, calls fail within CONNECT_WAIT_MS, never hang.
   */
  private async client(): Promise<RedisClientType> {
    if (this.redis.isReady) return this.redis;
    if (!this.redis.isOpen) this.connecting ??= this.redis.connect().catch(() => {});
    await waitUntilReady(this.redis);
    return this.redis;
  }

  private claimKey(channel: string): string {
    return `${this.prefix}channel:${channel}`;
  }

  private nodeKey(nodeId: string): string {
    return `${this.prefix}node:${nodeId}`;
  }

  private indexKey(): string {
    return `${this.prefix}nodes`;
  }
}
