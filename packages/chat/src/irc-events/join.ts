import type { TIrcJoinEvent } from "../irc/irc-framework.ts";
import { channelNameOf, usernameOfNick } from "../irc/irc-names.ts";
import { readerIrcEvent } from "./reader-irc-event.ts";

/** JOIN: the reader's own settles its pending join; the channel's owner is given channel op. */
export const joinEvent = readerIrcEvent<TIrcJoinEvent>("join", (event, context) => {
  const channel = channelNameOf(event.channel);
  if (!channel) return;
  if (event.nick === context.ownNick()) return context.joined(channel);
  // Only the channel's owner can hold a nick that maps to its name (IRC token or the gateway).
  if (usernameOfNick(event.nick) === channel) context.operator.giveChannelOp(channel, event.nick);
});
