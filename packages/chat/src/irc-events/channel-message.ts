import type { TIrcMessageEvent } from "../irc/irc-framework.ts";
import { toIrcChatLine } from "../translate/irc-chat-line.ts";
import { readerIrcEvent, type TReaderContext } from "./reader-irc-event.ts";

function onChannelMessage(event: TIrcMessageEvent, isAction: boolean, context: TReaderContext) {
  if (event.batch) return; // a history replay, already in the gateway's history
  const line = toIrcChatLine(event, isAction);
  if (line) context.lineHeard(line);
}

/** PRIVMSG to a platform channel: a chat line. */
export const privmsgEvent = readerIrcEvent<TIrcMessageEvent>("privmsg", (event, context) =>
  onChannelMessage(event, false, context),
);

/** CTCP ACTION (/me) to a platform channel: a chat line marked as an action. */
export const actionEvent = readerIrcEvent<TIrcMessageEvent>("action", (event, context) =>
  onChannelMessage(event, true, context),
);
