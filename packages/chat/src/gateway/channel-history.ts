import { CHAT_HISTORY_SIZE, type TChatMessage } from "../protocol.ts";
import { toChatMessage } from "../translate/chat-message.ts";
import type { TIrcChatLine } from "../translate/irc-chat-line.ts";

type TChannelLines = { messages: TChatMessage[]; loaded: Promise<void> };

/**
 * The last lines of each channel this gateway serves, kept in memory so a new viewer gets them at
 * once: loaded from the database when the gateway starts serving the channel, then fed live.
 */
export class ChannelHistory {
  readonly #channels = new Map<string, TChannelLines>();

  constructor(private readonly loadRecent: (channel: string, take: number) => Promise<TIrcChatLine[]>) {}

  open(channel: string): Promise<void> {
    const existing = this.#channels.get(channel);
    if (existing) return existing.loaded;
    const lines: TChannelLines = { messages: [], loaded: Promise.resolve() };
    lines.loaded = this.loadRecent(channel, CHAT_HISTORY_SIZE).then(
      (stored) => {
        // Lines heard while loading may be stored already: those are kept once.
        const live = lines.messages;
        lines.messages = [];
        for (const line of stored) this.#append(lines, line);
        const storedIds = new Set(stored.map((line) => line.msgid));
        for (const message of live) if (!storedIds.has(message.id)) this.#push(lines, message);
      },
      (error: unknown) => {
        this.#channels.delete(channel); // the next viewer tries again
        throw error;
      },
    );
    this.#channels.set(channel, lines);
    return lines.loaded;
  }

  recent(channel: string): TChatMessage[] {
    return [...(this.#channels.get(channel)?.messages ?? [])];
  }

  /** Records a live line and returns it as viewers get it, its reply resolved when known. */
  add(line: TIrcChatLine): TChatMessage {
    const lines = this.#channels.get(line.channel);
    return lines ? this.#append(lines, line) : toChatMessage(line, null);
  }

  find(channel: string, id: string): TChatMessage | undefined {
    return this.#channels.get(channel)?.messages.find((message) => message.id === id);
  }

  /** A moderator deleted a line: new viewers do not get it. */
  remove(channel: string, id: string) {
    const lines = this.#channels.get(channel);
    if (lines) lines.messages = lines.messages.filter((message) => message.id !== id);
  }

  /** A moderator cleared the chat. */
  clear(channel: string) {
    const lines = this.#channels.get(channel);
    if (lines) lines.messages = [];
  }

  close(channel: string) {
    this.#channels.delete(channel);
  }

  #append(lines: TChannelLines, line: TIrcChatLine): TChatMessage {
    const parent = line.replyTo ? lines.messages.find((message) => message.id === line.replyTo) : undefined;
    const message = toChatMessage(line, parent ?? null);
    this.#push(lines, message);
    return message;
  }

  #push(lines: TChannelLines, message: TChatMessage) {
    lines.messages.push(message);
    if (lines.messages.length > CHAT_HISTORY_SIZE) lines.messages.shift();
  }
}
