import type { IrcOperator } from "../moderation/irc-operator.ts";
import type { TIrcChatLine } from "../translate/irc-chat-line.ts";

/** What an IRC event handler of the reader may do. */
export type TReaderContext = {
  /** The reader's own nick on IRC now. */
  ownNick(): string;
  /** A channel line every web viewer of the channel gets (and history stores). */
  lineHeard(line: TIrcChatLine): void;
  /** The reader is in the channel. */
  joined(channel: string): void;
  operator: IrcOperator;
};

/** One IRC event (by irc-framework's name for it) and what the reader does with it. */
export type TReaderIrcEvent = {
  name: string;
  handle(event: unknown, context: TReaderContext): void;
};

export function readerIrcEvent<TEvent>(
  name: string,
  handle: (event: TEvent, context: TReaderContext) => void,
): TReaderIrcEvent {
  return { name, handle: (event, context) => handle(event as TEvent, context) };
}
