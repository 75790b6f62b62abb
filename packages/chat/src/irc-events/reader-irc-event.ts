import type { IrcOperator } from "../moderation/irc-operator.ts";
import type { TModerationCommand } from "../protocol.ts";
import type { TIrcChatLine } from "../translate/irc-chat-line.ts";

/** A moderation act a channel op did on IRC, to be made the platform's own. */
export type TIrcModeration = {
  channel: string;
  /** The op's platform username. */
  actor: string;
  command: TModerationCommand;
};

/** A KICK by a channel op, for the audit log and web viewers. */
export type TIrcKick = {
  channel: string;
  actor: string;
  kicked: string;
  reason: string;
  /** The same for every gateway that heard it. */
  eventKey: string;
};

/** What an IRC event handler of the reader may do. */
export type TReaderContext = {
  /** The reader's own nick on IRC now. */
  ownNick(): string;
  /** A channel line every web viewer of the channel gets (and history stores). */
  lineHeard(line: TIrcChatLine): void;
  /** The reader is in the channel. */
  joined(channel: string): void;
  /** Whether a username holds channel op in a channel (its owner, a moderator). */
  isChannelOperator(channel: string, username: string): Promise<boolean>;
  moderatedOnIrc(moderation: TIrcModeration): void;
  kickedOnIrc(kick: TIrcKick): void;
  operator: IrcOperator;
};

/** One IRC event (by irc-framework's name for it) and what the reader does with it. */
export type TReaderIrcEvent = {
  name: string;
  handle(event: unknown, context: TReaderContext): void | Promise<void>;
};

export function readerIrcEvent<TEvent>(
  name: string,
  handle: (event: TEvent, context: TReaderContext) => void | Promise<void>,
): TReaderIrcEvent {
  return { name, handle: (event, context) => handle(event as TEvent, context) };
}
