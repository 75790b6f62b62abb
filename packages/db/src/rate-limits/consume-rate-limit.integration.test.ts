import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/use-test-db.ts";
import { consumeRateLimit } from "./consume-rate-limit.ts";
import { resetRateLimit } from "./reset-rate-limit.ts";

const testDb = useTestDb();

describe("consumeRateLimit", () => {
  it("allows `limit` hits per window, then says when to retry", async () => {
    const hit = () => consumeRateLimit(testDb.db(), { key: "login:account:a", limit: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i += 1) expect(await hit()).toEqual({ isAllowed: true });
    const refused = await hit();
    expect(refused.isAllowed).toBe(false);
    expect(!refused.isAllowed && refused.retryAfterSeconds).toBeGreaterThan(50);
  });

  it("counts concurrent hits exactly, as several web processes would make them", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        consumeRateLimit(testDb.db(), { key: "login:ip:b", limit: 10, windowSeconds: 60 }),
      ),
    );
    expect(results.filter((result) => result.isAllowed)).toHaveLength(10);
  });

  it("starts a new window once the old one has passed", async () => {
    const hit = () => consumeRateLimit(testDb.db(), { key: "login:ip:c", limit: 1, windowSeconds: 1 });
    expect((await hit()).isAllowed).toBe(true);
    expect((await hit()).isAllowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await hit()).isAllowed).toBe(true);
  });

  it("is cleared by a reset", async () => {
    const hit = () => consumeRateLimit(testDb.db(), { key: "login:account:d", limit: 1, windowSeconds: 60 });
    await hit();
    expect((await hit()).isAllowed).toBe(false);
    await resetRateLimit(testDb.db(), { key: "login:account:d" });
    expect((await hit()).isAllowed).toBe(true);
  });
});
