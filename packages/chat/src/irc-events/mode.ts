import { channelNameOf, isGatewayNick, usernameOfNick } from "../irc/irc-names.ts";
import { usernameOfBanMask } from "../translate/ban-masks.ts";
import { readerIrcEvent } from "./reader-irc-event.ts";

type TIrcModeEvent = { target: string; nick: string; modes: { mode: string; param?: string }[] };

/**
 * MODE: a ban (+b) or unban (-b) a channel op set on IRC on an account's nick becomes the platform's
 * ban or unban (the web refuses them too, and it is stored). The gateway's own modes are its acts already.
 */
export const modeEvent = readerIrcEvent<TIrcModeEvent>("mode", (event, context) => {
  const channel = channelNameOf(event.target);
  const actor = usernameOfNick(event.nick);
  if (!channel || !actor || isGatewayNick(event.nick)) return;
  for (const { mode, param } of event.modes) {
    const username = param && (mode === "+b" || mode === "-b") ? usernameOfBanMask(param) : null;
    if (!username) continue;
    context.moderatedOnIrc({
      channel,
      actor,
      command: mode === "+b" ? { type: "ban", username, reason: undefined } : { type: "unban", username },
    });
  }
});
