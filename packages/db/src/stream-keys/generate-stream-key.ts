import { randomBytes } from "node:crypto";

export const STREAM_KEY_PATTERN = /^live_[A-Za-z0-9_-]{32}$/;

/** `live_` and 192 random bits in base64url: [A-Za-z0-9_-], safe in a URL path and in OBS. */
export function generateStreamKey(): string {
  return `live_${randomBytes(24).toString("base64url")}`;
}
