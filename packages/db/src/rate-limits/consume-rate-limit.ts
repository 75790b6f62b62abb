import type { Db } from "../client.ts";

export type RateLimitResult = { isAllowed: true } | { isAllowed: false; retryAfterSeconds: number };

/**
 * Counts one hit against `key` in a fixed window shared by every process: one atomic upsert.
 * A window that has passed starts again at 1.
 */
export async function consumeRateLimit(
  db: Db,
  { key, limit, windowSeconds }: { key: string; limit: number; windowSeconds: number },
): Promise<RateLimitResult> {
  const [row] = await db.$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "RateLimit" ("key", "count", "windowStart") VALUES (${key}, 1, now())
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= now() - make_interval(secs => ${windowSeconds})
                     THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= now() - make_interval(secs => ${windowSeconds})
                           THEN now() ELSE "RateLimit"."windowStart" END
    RETURNING "count", "windowStart"`;
  if (!row) throw new Error("rate limit upsert returned no row");
  if (row.count <= limit) return { isAllowed: true };
  const windowEndsAt = row.windowStart.getTime() + windowSeconds * 1000;
  return { isAllowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEndsAt - Date.now()) / 1000)) };
}
