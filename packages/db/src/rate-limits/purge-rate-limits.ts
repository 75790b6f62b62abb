import type { Db } from "../client.ts";

/**
 * Deletes the counters nobody needs any more: those whose window (or last failure) started longer
 * ago than the longest window in use. Returns how many went.
 */
export async function purgeRateLimits(db: Db, { olderThanSeconds }: { olderThanSeconds: number }) {
  return db.$executeRaw`
    DELETE FROM "RateLimit" WHERE "windowStart" < now() - make_interval(secs => ${olderThanSeconds})`;
}
