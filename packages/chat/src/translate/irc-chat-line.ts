import { randomUUID } from "node:crypto";
import type { TIrcMessageEvent } from "../irc/irc-framework.ts";
import { cleanChatText } from "../text/clean-chat-text.ts";
import { channelNameOf, usernameOfNick } from "../irc/irc-names.ts";

/** A channel line as the IRC network delivered it, before it is matched with its reply target. */
export type TIrcChatLine = {
  msgid: string;
  channel: string;
  nick: string;
  username: string | null;
  text: string;
  isAction: boolean;
  sentAt: Date;
  replyTo: string | null;
  /** Set when a moderator deletes the line before the gateway stored it. */
  deletedAt?: Date;
};

/** A PRIVMSG (or /me ACTION) to a platform channel as a chat line; null for any other target or an empty line. */
export function toIrcChatLine(
  event: TIrcMessageEvent,
  isAction: boolean,
  now = new Date(),
): TIrcChatLine | null {
  const channel = channelNameOf(event.target);
  if (!channel) return null;
  const text = cleanChatText(event.message);
  if (!text) return null;
  const time = event.tags.time ? new Date(event.tags.time) : now;
  return {
    // InspIRCd tags every line with a msgid; a line without one still needs an id of its own.
    msgid: event.tags.msgid ?? `local~${randomUUID()}`,
    channel,
    nick: event.nick,
    username: usernameOfNick(event.nick),
    text,
    isAction,
    sentAt: Number.isNaN(time.getTime()) ? now : time,
    replyTo: event.tags["+draft/reply"] ?? null,
  };
}
