import { actionEvent, privmsgEvent } from "./channel-message.ts";
import { joinEvent } from "./join.ts";
import { kickEvent } from "./kick.ts";
import { modeEvent } from "./mode.ts";

export type { TIrcKick, TIrcModeration, TReaderContext, TReaderIrcEvent } from "./reader-irc-event.ts";

/** Every IRC event the gateway's reader acts on. */
export const READER_IRC_EVENTS = [privmsgEvent, actionEvent, joinEvent, modeEvent, kickEvent];
