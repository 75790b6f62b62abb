import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived signed chat tokens: the web app, which knows the session, issues one to the chat
 * panel; the gateway, which shares the secret, verifies it without a database round trip.
 * Format: base64url(JSON payload) "." base64url(HMAC-SHA256).
 */

export const CHAT_TOKEN_TTL_SECONDS = 300;

export type TChatTokenClaims = { userId: string; username: string };

type TPayload = { sub: string; name: string; exp: number };

export function signChatToken(claims: TChatTokenClaims, secret: string, now = Date.now()): string {
  const payload: TPayload = {
    sub: claims.userId,
    name: claims.username,
    exp: Math.floor(now / 1000) + CHAT_TOKEN_TTL_SECONDS,
  };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${mac(body, secret)}`;
}

/** The claims of a valid, unexpired token; null for anything else. */
export function verifyChatToken(token: string, secret: string, now = Date.now()): TChatTokenClaims | null {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let payload: Partial<TPayload>;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<TPayload>;
  } catch {
    return null;
  }
  if (typeof payload.sub !== "string" || typeof payload.name !== "string") return null;
  if (typeof payload.exp !== "number" || payload.exp * 1000 <= now) return null;
  return { userId: payload.sub, username: payload.name };
}

function mac(body: string, secret: string): string {
  return createHmac("sha256", `relaycast chat token:${secret}`).update(body).digest("base64url");
}

/**
 * The bearer token the web app presents to the gateway's internal API (e.g. to end the IRC
 * sessions of a revoked token). Derived from the shared secret; the API is not proxied to browsers.
 */
export function internalApiToken(secret: string): string {
  return createHmac("sha256", `relaycast chat internal api:${secret}`).update("v1").digest("base64url");
}
