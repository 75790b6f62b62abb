import { randomUUID } from "node:crypto";
import { createClient, type RedisClientType } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRateLimiter, type IRateLimiter } from "./rate-limiter.ts";
import { RedisRateLimiter } from "./redis-rate-limiter.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let redis: RedisClientType;

beforeAll(async () => {
  redis = createClient({ url: REDIS_URL });
  await redis.connect();
});
afterAll(async () => {
  await redis.quit();
});

const limiters: [string, (windowMs: number) => IRateLimiter][] = [
  ["in memory", (windowMs) => new MemoryRateLimiter({ limit: 3, windowMs })],
  ["in Redis", (windowMs) => new RedisRateLimiter(redis, { limit: 3, windowMs }, `test:${randomUUID()}`)],
];

describe.each(limiters)("rate limiter %s", (_, create) => {
  it("allows the limit, refuses the next with the wait, and counts keys apart", async () => {
    const limiter = create(60_000);
    for (let index = 0; index < 3; index++) expect(await limiter.consume("alice")).toEqual({ allowed: true });
    const refused = await limiter.consume("alice");
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterMs).toBeGreaterThan(59_000);
    expect(await limiter.consume("bob")).toEqual({ allowed: true });
  });

  it("slides: events older than the window stop counting", async () => {
    const limiter = create(300);
    for (let index = 0; index < 3; index++) await limiter.consume("carol");
    expect((await limiter.consume("carol")).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await limiter.consume("carol")).toEqual({ allowed: true });
  });
});

it("the Redis limiter is shared: two gateways draw on one allowance", async () => {
  const prefix = `test:${randomUUID()}`;
  const first = new RedisRateLimiter(redis, { limit: 3, windowMs: 60_000 }, prefix);
  const second = new RedisRateLimiter(redis, { limit: 3, windowMs: 60_000 }, prefix);
  await first.consume("dave");
  await second.consume("dave");
  await first.consume("dave");
  expect((await second.consume("dave")).allowed).toBe(false);
});
