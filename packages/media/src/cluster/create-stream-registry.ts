import { MemoryStreamRegistry } from "./memory-stream-registry.ts";
import { RedisStreamRegistry } from "./redis-stream-registry.ts";
import type { StreamRegistry } from "./stream-registry.ts";

/** How long a channel claim lives without renewal: a dead origin's channels are free within it. */
export const REGISTRY_TTL_MS = 5_000;
/**
 * How long a node record lives without a heartbeat: a dead node is out of the director's choices,
 * and its channels can be claimed by another origin, within it.
 */
export const NODE_TTL_MS = 3_000;
/** How often a node beats: five beats per TTL, so a slow beat or two never drops a live node. */
export const HEARTBEAT_INTERVAL_MS = 1_000;

/** The cluster's registry in Redis when a URL is given; this process's own otherwise. */
export function createStreamRegistry({
  redisUrl,
  prefix,
  ttlMs = REGISTRY_TTL_MS,
  nodeTtlMs = NODE_TTL_MS,
}: {
  redisUrl?: string;
  prefix?: string;
  ttlMs?: number;
  nodeTtlMs?: number;
}): StreamRegistry {
  return redisUrl
    ? new RedisStreamRegistry({ url: redisUrl, prefix, ttlMs, nodeTtlMs })
    : new MemoryStreamRegistry(ttlMs, nodeTtlMs);
}
