import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/use-test-db.ts";
import { checkLoginBackoff, LOGIN_BACKOFF_BASE_SECONDS } from "./check-login-backoff.ts";
import { consumeRateLimit } from "./consume-rate-limit.ts";
import { purgeRateLimits } from "./purge-rate-limits.ts";
import { recordLoginFailure } from "./record-login-failure.ts";

const testDb = useTestDb();
const policy = { freeFailures: 5, maxWaitSeconds: 900 };

async function fail(key: string, times: number) {
  for (let index = 0; index < times; index += 1) await recordLoginFailure(testDb.db(), { key, policy });
}

/** Moves a counter's last failure (or window start) into the past, as time passing would. */
async function age(key: string, seconds: number) {
  await testDb.db().$executeRaw`
    UPDATE "RateLimit" SET "windowStart" = now() - make_interval(secs => ${seconds}) WHERE "key" = ${key}`;
}

describe("login backoff per account and client IP", () => {
  it("lets a client fail a few times freely, then makes each further try wait twice as long", async () => {
    const key = "login:backoff:alice:198.51.100.1";
    await fail(key, policy.freeFailures - 1);
    expect(await checkLoginBackoff(testDb.db(), { key, policy })).toEqual({ isAllowed: true });
    await fail(key, 1);
    const first = await checkLoginBackoff(testDb.db(), { key, policy });
    expect(!first.isAllowed && first.retryAfterSeconds).toBeGreaterThan(LOGIN_BACKOFF_BASE_SECONDS - 5);
    expect(!first.isAllowed && first.retryAfterSeconds).toBeLessThanOrEqual(LOGIN_BACKOFF_BASE_SECONDS);
    await fail(key, 2);
    const third = await checkLoginBackoff(testDb.db(), { key, policy });
    expect(!third.isAllowed && third.retryAfterSeconds).toBeGreaterThan(LOGIN_BACKOFF_BASE_SECONDS * 4 - 5);
    await fail(key, 30);
    const capped = await checkLoginBackoff(testDb.db(), { key, policy });
    expect(!capped.isAllowed && capped.retryAfterSeconds).toBeLessThanOrEqual(policy.maxWaitSeconds);
    expect(!capped.isAllowed && capped.retryAfterSeconds).toBeGreaterThan(policy.maxWaitSeconds - 5);
  });

  it("never makes the owner wait for someone else's guesses on their account", async () => {
    await fail("login:backoff:bob:203.0.113.66", 50);
    expect(
      (await checkLoginBackoff(testDb.db(), { key: "login:backoff:bob:203.0.113.66", policy })).isAllowed,
    ).toBe(false);
    expect(await checkLoginBackoff(testDb.db(), { key: "login:backoff:bob:198.51.100.20", policy })).toEqual({
      isAllowed: true,
    });
  });

  it("lets the client try again once its wait has passed, and forgets failures after the longest wait", async () => {
    const key = "login:backoff:carol:198.51.100.3";
    await fail(key, policy.freeFailures);
    await age(key, LOGIN_BACKOFF_BASE_SECONDS + 1);
    expect(await checkLoginBackoff(testDb.db(), { key, policy })).toEqual({ isAllowed: true });
    await age(key, policy.maxWaitSeconds + 1);
    await fail(key, 1);
    expect(await checkLoginBackoff(testDb.db(), { key, policy })).toEqual({ isAllowed: true });
  });

  it("counts concurrent failures exactly, as several web processes would record them", async () => {
    const key = "login:backoff:dave:198.51.100.4";
    await Promise.all(Array.from({ length: 12 }, () => recordLoginFailure(testDb.db(), { key, policy })));
    const row = await testDb.db().rateLimit.findUnique({ where: { key } });
    expect(row?.count).toBe(12);
  });
});

describe("purgeRateLimits", () => {
  it("deletes counters older than the longest window and keeps the others", async () => {
    await consumeRateLimit(testDb.db(), { key: "login:ip:198.51.100.9", limit: 5, windowSeconds: 900 });
    await fail("login:backoff:erin:198.51.100.9", 1);
    await consumeRateLimit(testDb.db(), { key: "signup:ip:198.51.100.9", limit: 5, windowSeconds: 3600 });
    await age("login:ip:198.51.100.9", 3601);
    await age("login:backoff:erin:198.51.100.9", 3601);
    const purged = await purgeRateLimits(testDb.db(), { olderThanSeconds: 3600 });
    expect(purged).toBeGreaterThanOrEqual(2);
    const left = await testDb.db().rateLimit.findMany({ where: { key: { contains: "198.51.100.9" } } });
    expect(left.map((row) => row.key)).toEqual(["signup:ip:198.51.100.9"]);
  });
});
