import "server-only";
import { consumeRateLimit, resetRateLimit } from "@relaycast/db";
import { getConfig } from "@/lib/config.ts";
import { getDb } from "@/lib/db.ts";

/** Counts a login attempt against the account and the IP; the message to show when either is over. */
export async function checkLoginAllowed({ identifier, ip }: { identifier: string; ip: string }) {
  const { perAccount, perIp, windowSeconds } = getConfig().loginLimits;
  const byIp = await consumeRateLimit(getDb(), { key: `login:ip:${ip}`, limit: perIp, windowSeconds });
  const byAccount = await consumeRateLimit(getDb(), {
    key: `login:account:${identifier.toLowerCase()}`,
    limit: perAccount,
    windowSeconds,
  });
  const refused = [byIp, byAccount].find((result) => !result.isAllowed);
  if (!refused || refused.isAllowed) return null;
  return `Too many login attempts. Try again in ${formatWait(refused.retryAfterSeconds)}.`;
}

export async function clearLoginFailures({ identifier }: { identifier: string }) {
  await resetRateLimit(getDb(), { key: `login:account:${identifier.toLowerCase()}` });
}

export async function checkSignUpAllowed({ ip }: { ip: string }) {
  const result = await consumeRateLimit(getDb(), {
    key: `signup:ip:${ip}`,
    limit: getConfig().signUpLimitPerIpPerHour,
    windowSeconds: 3600,
  });
  return result.isAllowed
    ? null
    : `Too many sign-ups from your network. Try again in ${formatWait(result.retryAfterSeconds)}.`;
}

function formatWait(seconds: number) {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
