import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import type { Logger } from "@relaycast/logger";
import {
  READER_IRC_EVENTS,
  type TIrcKick,
  type TIrcModeration,
  type TReaderContext,
} from "../irc-events/index.ts";
import { IrcOperator, type IOperatorConnection } from "../moderation/irc-operator.ts";
import type { TIrcChatLine } from "../translate/irc-chat-line.ts";
import { Client } from "./irc-framework.ts";
import { keepConnected } from "./keep-connected.ts";
import { GATEWAY_NICK_PREFIX, ircChannel } from "./irc-names.ts";

/** Where the gateway's connections go: InspIRCd's gateway port and its connect-class password. */
export type TIrcServer = { host: string; port: number; password: string };

export type TChannelReaderEvents = {
  line: [TIrcChatLine];
  status: ["connected" | "disconnected"];
  /** A channel op banned or unbanned an account on IRC. */
  moderation: [TIrcModeration];
  /** A channel op kicked someone on IRC. */
  kick: [TIrcKick];
};

const JOIN_TIMEOUT_MS = 10_000;

/**
 * The gateway's one reader connection, an IRC operator: it creates each platform channel it is
 * asked to watch (only opers may; the server's default modes keep outside messages out, replay
 * history to IRC clients and mute guests) and acts on the IRC events of READER_IRC_EVENTS (a line
 * becomes a `line` event). Its `operator` is the gateway's operator power on IRC. It reconnects by
 * itself and rejoins what it watched.
 */
export class ChannelReader extends EventEmitter<TChannelReaderEvents> implements IOperatorConnection {
  readonly operator = new IrcOperator(this);
  readonly #client: Client;
  readonly #reconnection: { stop(): void };
  readonly #watched = new Set<string>();
  readonly #joined = new Map<string, Promise<void>>();
  readonly #pendingJoins = new Map<string, () => void>();
  #isRegistered = false;
  #isClosed = false;

  constructor(
    server: TIrcServer,
    private readonly oper: { name: string; password: string },
    private readonly log: Logger,
    isChannelOperator: (channel: string, username: string) => Promise<boolean>,
  ) {
    super();
    this.#client = new Client({
      host: server.host,
      port: server.port,
      password: server.password,
      nick: `${GATEWAY_NICK_PREFIX}${randomBytes(3).toString("hex")}`,
      username: "relaycast",
      gecos: "Relaycast chat gateway",
      auto_reconnect: false,
      ping_interval: 30,
      ping_timeout: 60,
    });
    this.#reconnection = keepConnected(this.#client);
    this.#client.on("registered", () => this.#onRegistered());
    this.#client.on("close", () => this.#onClosed());
    this.#client.on("socket close", () => this.#onClosed());
    const context: TReaderContext = {
      ownNick: () => this.#client.user.nick,
      lineHeard: (line) => this.emit("line", line),
      joined: (channel) => {
        this.#pendingJoins.get(channel)?.();
        this.#pendingJoins.delete(channel);
      },
      isChannelOperator,
      moderatedOnIrc: (moderation) => this.emit("moderation", moderation),
      kickedOnIrc: (kick) => this.emit("kick", kick),
      operator: this.operator,
    };
    for (const { name, handle } of READER_IRC_EVENTS) {
      this.#client.on(name, (event: unknown) => {
        Promise.resolve(handle(event, context)).catch((error: unknown) =>
          this.log.warn({ err: error, event: name }, "an IRC event could not be handled"),
        );
      });
    }
  }

  get isConnected(): boolean {
    return this.#isRegistered;
  }

  start() {
    this.#client.connect();
  }

  /** Joins `#channel` (creating it) and resolves once the reader is in it. */
  watch(channel: string): Promise<void> {
    this.#watched.add(channel);
    return this.#join(channel);
  }

  command(...args: string[]) {
    this.#client.raw(...args);
  }

  close() {
    this.#isClosed = true;
    this.#reconnection.stop();
    this.#client.quit("Gateway stopping");
    this.#client.removeAllListeners();
  }

  /** Resolves when the reader is in the channel; joins now, or as soon as IRC is connected. */
  #join(channel: string): Promise<void> {
    const existing = this.#joined.get(channel);
    if (existing) return existing;
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingJoins.delete(channel);
        this.#joined.delete(channel);
        reject(new Error(`joining #${channel} timed out`));
      }, JOIN_TIMEOUT_MS);
      this.#pendingJoins.set(channel, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.#joined.set(channel, joined);
    if (this.#isRegistered) this.#client.join(ircChannel(channel));
    return joined;
  }

  #onRegistered() {
    this.#client.raw("OPER", this.oper.name, this.oper.password);
    // +B marks a bot; +N opts out of chanhistory replays (the gateway has its own history).
    this.#client.raw("MODE", this.#client.user.nick, "+BN");
    this.#isRegistered = true;
    this.log.info({ nick: this.#client.user.nick }, "chat reader connected to IRC");
    this.emit("status", "connected");
    for (const channel of this.#watched) {
      if (this.#pendingJoins.has(channel)) this.#client.join(ircChannel(channel));
      else
        this.#join(channel).catch((error: unknown) =>
          this.log.warn({ err: error, channel }, "could not rejoin a channel"),
        );
    }
  }

  #onClosed() {
    if (!this.#isRegistered) return;
    this.#isRegistered = false;
    for (const channel of this.#joined.keys())
      if (!this.#pendingJoins.has(channel)) this.#joined.delete(channel);
    if (!this.#isClosed) this.log.warn("chat reader lost IRC; reconnecting");
    this.emit("status", "disconnected");
  }
}
