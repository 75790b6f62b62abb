import "server-only";
import {
  checkLoginBackoff,
  consumeRateLimit,
  purgeRateLimits,
  recordLoginFailure,
  resetRateLimit,
} from "@relaycast/db";
import { getConfig } from "@/lib/config.ts";
import { getDb } from "@/lib/db.ts";
import { getLog } from "@/lib/logger.ts";

const SIGN_UP_WINDOW_SECONDS = 3600;
/** Expired counters are deleted at most this often per web process, on the way of a login. */
const PURGE_INTERVAL_MS = 10 * 60_000;
let lastPurgeAt = 0;

function loginPolicy() {
  const { failuresBeforeBackoff, windowSeconds } = getConfig().loginLimits;
  return { freeFailures: failuresBeforeBackoff, maxWaitSeconds: windowSeconds };
}

/** Failures are counted per account and client IP: another client's guesses never make this one wait. */
const backoffKey = ({ identifier, ip }: { identifier: string; ip: string }) =>
  `login:backoff:${identifier.toLowerCase()}:${ip}`;

/**
 * Whether this login attempt may check a password: first the IP's budget (an IP over it is refused
 * there, and nothing is written about the account it named), then this client's backoff on the
 * account. The message to show when refused, or null.
 */
export async function checkLoginAllowed({ identifier, ip }: { identifier: string; ip: string }) {
  purgeExpiredCounters();
  const { perIp, windowSeconds } = getConfig().loginLimits;
  const byIp = await consumeRateLimit(getDb(), { key: `login:ip:${ip}`, limit: perIp, windowSeconds });
  if (!byIp.isAllowed) return tooManyLogins(byIp.retryAfterSeconds);
  const backoff = await checkLoginBackoff(getDb(), {
    key: backoffKey({ identifier, ip }),
    policy: loginPolicy(),
  });
  return backoff.isAllowed ? null : tooManyLogins(backoff.retryAfterSeconds);
}

export async function recordLoginFailed({ identifier, ip }: { identifier: string; ip: string }) {
  await recordLoginFailure(getDb(), { key: backoffKey({ identifier, ip }), policy: loginPolicy() });
}

export async function clearLoginFailures({ identifier, ip }: { identifier: string; ip: string }) {
  await resetRateLimit(getDb(), { key: backoffKey({ identifier, ip }) });
}

export async function checkSignUpAllowed({ ip }: { ip: string }) {
  const result = await consumeRateLimit(getDb(), {
    key: `signup:ip:${ip}`,
    limit: getConfig().signUpLimitPerIpPerHour,
    windowSeconds: SIGN_UP_WINDOW_SECONDS,
  });
  return result.isAllowed
    ? null
    : `Too many sign-ups from your network. Try again in ${formatWait(result.retryAfterSeconds)}.`;
}

function purgeExpiredCounters() {
  const now = Date.now();
  if (now - lastPurgeAt < PURGE_INTERVAL_MS) return;
  lastPurgeAt = now;
  const olderThanSeconds = Math.max(getConfig().loginLimits.windowSeconds, SIGN_UP_WINDOW_SECONDS);
  purgeRateLimits(getDb(), { olderThanSeconds }).then(
    (purged) => getLog().child({ component: "auth" }).debug({ purged }, "expired rate limits purged"),
    (error: unknown) => getLog().child({ component: "auth" }).warn({ err: error }, "rate limit purge failed"),
  );
}

function tooManyLogins(retryAfterSeconds: number) {
  return `Too many login attempts. Try again in ${formatWait(retryAfterSeconds)}.`;
}

function formatWait(seconds: number) {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
