import type { TIrcJoinEvent } from "../irc/irc-framework.ts";
import { channelNameOf, usernameOfNick } from "../irc/irc-names.ts";
import { readerIrcEvent } from "./reader-irc-event.ts";

/** JOIN: the reader's own settles its pending join; the channel's owner and moderators get channel op. */
export const joinEvent = readerIrcEvent<TIrcJoinEvent>("join", async (event, context) => {
  const channel = channelNameOf(event.channel);
  if (!channel) return;
  if (event.nick === context.ownNick()) return context.joined(channel);
  // Nicks that map to usernames are checked at login and cannot change: the nick is the account.
  const username = usernameOfNick(event.nick);
  if (username && (await context.isChannelOperator(channel, username))) {
    context.operator.setChannelOp(channel, event.nick, true);
  }
});
