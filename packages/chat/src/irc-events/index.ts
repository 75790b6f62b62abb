import { actionEvent, privmsgEvent } from "./channel-message.ts";
import { joinEvent } from "./join.ts";

export type { TReaderContext, TReaderIrcEvent } from "./reader-irc-event.ts";

/** Every IRC event the gateway's reader acts on. */
export const READER_IRC_EVENTS = [privmsgEvent, actionEvent, joinEvent];
