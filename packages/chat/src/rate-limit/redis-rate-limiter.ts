import { randomUUID } from "node:crypto";
import type { RedisClientType } from "redis";
import type { IRateLimiter, TRateDecision, TRateLimit } from "./rate-limiter.ts";

/**
 * The same sliding window shared by every gateway process: a sorted set of event times per key,
 * trimmed, counted and added to in one atomic script. Answers the wait in ms, 0 when allowed.
 */
const SLIDING_WINDOW = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + ARGV[2] - ARGV[1])
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

export class RedisRateLimiter implements IRateLimiter {
  constructor(
    private readonly redis: RedisClientType,
    private readonly rate: TRateLimit,
    private readonly prefix: string,
  ) {}

  async consume(key: string): Promise<TRateDecision> {
    const waitMs = Number(
      await this.redis.eval(SLIDING_WINDOW, {
        keys: [`${this.prefix}:${key}`],
        arguments: [String(Date.now()), String(this.rate.windowMs), String(this.rate.limit), randomUUID()],
      }),
    );
    return waitMs > 0 ? { allowed: false, retryAfterMs: waitMs } : { allowed: true };
  }

  /** Nothing to stop: the Redis client belongs to its caller. */
  close() {}
}
