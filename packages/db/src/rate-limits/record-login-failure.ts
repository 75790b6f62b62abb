import type { Db } from "../client.ts";
import type { LoginBackoffPolicy } from "./check-login-backoff.ts";

/**
 * Counts a failed login for `key` (an account and a client IP) and stamps its time, in one atomic
 * upsert; a count whose last failure is older than the longest wait starts again at 1.
 */
export async function recordLoginFailure(
  db: Db,
  { key, policy }: { key: string; policy: Pick<LoginBackoffPolicy, "maxWaitSeconds"> },
) {
  await db.$executeRaw`
    INSERT INTO "RateLimit" ("key", "count", "windowStart") VALUES (${key}, 1, now())
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= now() - make_interval(secs => ${policy.maxWaitSeconds})
                     THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = now()`;
}
