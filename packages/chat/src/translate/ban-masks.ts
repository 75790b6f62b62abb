import { WEB_NICK_SUFFIX, identForUser, usernameOfNick } from "../irc/irc-names.ts";

/**
 * The IRC ban masks that hold one account, whichever way it connects: its nick and its web nick
 * (nicks are checked at login and cannot change after), and its web connections' ident
 * `u_<userId>`. Never an address: every web viewer comes through the gateway. A timeout is the same
 * masks as mute extbans (`m:`), which let the user stay and read.
 */
export function chatRestrictionMasks(
  user: { id: string; username: string },
  kind: "ban" | "timeout",
): string[] {
  const prefix = kind === "timeout" ? "m:" : "";
  return [
    `${user.username}!*@*`,
    `${user.username}${WEB_NICK_SUFFIX}!*@*`,
    `*!${identForUser(user.id)}@*`,
  ].map((mask) => `${prefix}${mask}`);
}

/**
 * The platform account a ban set on IRC names by nick (`bob`, `bob!*@*`, `bob|web!*@*`); null for
 * any other mask (an extban, a host, a wildcard nick), which stays IRC's own.
 */
export function usernameOfBanMask(mask: string): string | null {
  const match = /^([^!@*?:]+)(?:!\*@\*)?$/.exec(mask);
  return match ? usernameOfNick(match[1]!) : null;
}
