import { randomBytes } from "node:crypto";

export const IRC_TOKEN_PATTERN = /^irc_[A-Za-z0-9_-]{32}$/;

/** `irc_` and 192 random bits in base64url: [A-Za-z0-9_-], safe as an IRC server password (PASS). */
export function generateIrcToken(): string {
  return `irc_${randomBytes(24).toString("base64url")}`;
}
