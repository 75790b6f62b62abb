import type { TIrcKickEvent } from "../irc/irc-framework.ts";
import { channelNameOf, isGatewayNick, usernameOfNick } from "../irc/irc-names.ts";
import { readerIrcEvent } from "./reader-irc-event.ts";

/** KICK by a channel op on IRC: logged, and shown to web viewers. The gateway's own kicks are its acts already. */
export const kickEvent = readerIrcEvent<TIrcKickEvent & { time?: number }>("kick", (event, context) => {
  const channel = channelNameOf(event.channel);
  const actor = usernameOfNick(event.nick);
  if (!channel || !actor || isGatewayNick(event.nick)) return;
  // Every server stamps the KICK with its own time: gateways on different servers agree to the 5 s.
  const bucket = Math.floor((event.time ?? Date.now()) / 5_000);
  context.kickedOnIrc({
    channel,
    actor,
    kicked: event.kicked,
    reason: event.message,
    eventKey: `kick|${channel}|${actor}|${event.kicked.toLowerCase()}|${bucket}`,
  });
});
