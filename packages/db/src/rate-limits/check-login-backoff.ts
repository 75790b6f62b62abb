import type { Db } from "../client.ts";
import type { RateLimitResult } from "./consume-rate-limit.ts";

/** The first wait once a client has used its free failures; each further failure doubles it. */
export const LOGIN_BACKOFF_BASE_SECONDS = 30;

export type LoginBackoffPolicy = {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The longest wait; failures older than this (since the last one) are forgotten. */
  maxWaitSeconds: number;
};

/**
 * Whether a client may try a password on an account now. Failures are counted per account and
 * client IP (`recordLoginFailure`), so one client's guesses never make another one wait. Reads only.
 */
export async function checkLoginBackoff(
  db: Db,
  { key, policy }: { key: string; policy: LoginBackoffPolicy },
): Promise<RateLimitResult> {
  const row = await db.rateLimit.findUnique({ where: { key }, select: { count: true, windowStart: true } });
  if (!row || row.count < policy.freeFailures) return { isAllowed: true };
  const waitSeconds = Math.min(
    LOGIN_BACKOFF_BASE_SECONDS * 2 ** Math.min(row.count - policy.freeFailures, 20),
    policy.maxWaitSeconds,
  );
  const retryAfterMs = row.windowStart.getTime() + waitSeconds * 1000 - Date.now();
  return retryAfterMs > 0
    ? { isAllowed: false, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) }
    : { isAllowed: true };
}
