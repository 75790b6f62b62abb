import type { TChatMessage } from "../protocol.ts";
import type { TIrcChatLine } from "./irc-chat-line.ts";

/**
 * A line as web viewers get it. `parent` is the line it answers when the gateway still has it:
 * its author and text are shown with the reply; when it is gone, the reply keeps only its id.
 */
export function toChatMessage(line: TIrcChatLine, parent: TChatMessage | null): TChatMessage {
  return {
    id: line.msgid,
    channel: line.channel,
    nick: line.nick,
    username: line.username,
    text: line.text,
    isAction: line.isAction,
    sentAt: line.sentAt.toISOString(),
    replyTo: line.replyTo
      ? { id: line.replyTo, nick: parent?.username ?? parent?.nick ?? "", text: parent?.text ?? "" }
      : null,
  };
}
