/**
 * How platform names map onto IRC. A channel `alice` is `#alice`; a platform user speaks as the
 * nick `alice` (or `alice|web` when an IRC client of theirs already holds `alice`) with the ident
 * `u_<user id>`, so bans can target one account. Guests are `guest-*`, which no username can be.
 */
const USERNAME = /^[a-z0-9_]{3,25}$/;
export const GUEST_NICK_PREFIX = "guest-";
export const WEB_NICK_SUFFIX = "|web";

export function ircChannel(channelName: string): string {
  return `#${channelName}`;
}

/** The platform channel an IRC target names, or null for anything else (a nick, a foreign channel). */
export function channelNameOf(target: string): string | null {
  const name = target.startsWith("#") ? target.slice(1).toLowerCase() : "";
  return USERNAME.test(name) ? name : null;
}

/** The platform username behind a nick, or null for a guest or any nick that is not an account. */
export function usernameOfNick(nick: string): string | null {
  const lower = nick.toLowerCase();
  const base = lower.endsWith(WEB_NICK_SUFFIX) ? lower.slice(0, -WEB_NICK_SUFFIX.length) : lower;
  return USERNAME.test(base) ? base : null;
}

export function identForUser(userId: string): string {
  return `u_${userId}`;
}

/** The gateway's own reader connections: no username can be one (a hyphen), so no user can take one. */
export const GATEWAY_NICK_PREFIX = "rc-gw-";

export function isGatewayNick(nick: string): boolean {
  return nick.toLowerCase().startsWith(GATEWAY_NICK_PREFIX);
}
