import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import { Client, type TIrcJoinEvent, type TIrcMessageEvent } from "./irc-framework.ts";
import type { Logger } from "@relaycast/logger";
import { keepConnected } from "./keep-connected.ts";
import { toIrcChatLine, type TIrcChatLine } from "../translate/irc-chat-line.ts";
import { channelNameOf, ircChannel, usernameOfNick } from "./irc-names.ts";

/** Where the gateway's connections go: InspIRCd's gateway port and its connect-class password. */
export type TIrcServer = { host: string; port: number; password: string };

export type TChannelReaderEvents = {
  line: [TIrcChatLine];
  status: ["connected" | "disconnected"];
};

const JOIN_TIMEOUT_MS = 10_000;

/**
 * The gateway's one reader connection, an IRC operator: it creates each platform channel it is
 * asked to watch (only opers may; the server's default modes keep outside messages out, replay
 * history to IRC clients and mute guests), gives the channel's owner operator status when they join, and turns
 * every channel line into a `line` event. It reconnects by itself and rejoins what it watched.
 */
export class ChannelReader extends EventEmitter<TChannelReaderEvents> {
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
  ) {
    super();
    this.#client = new Client({
      host: server.host,
      port: server.port,
      password: server.password,
      nick: `rc-gw-${randomBytes(3).toString("hex")}`,
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
    this.#client.on("privmsg", (event: TIrcMessageEvent) => this.#onMessage(event, false));
    this.#client.on("action", (event: TIrcMessageEvent) => this.#onMessage(event, true));
    this.#client.on("join", (event: TIrcJoinEvent) => this.#onJoin(event));
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

  /**
   * Ends the IRC session holding a nick, on any server of the network (an oper KILL). A web
   * user's own connection reconnects by itself; an IRC client must log in again. False when the
   * reader is not connected.
   */
  disconnect(nick: string, reason: string): boolean {
    if (!this.#isRegistered) return false;
    this.#client.raw("KILL", nick, reason);
    return true;
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

  #onMessage(event: TIrcMessageEvent, isAction: boolean) {
    if (event.batch) return; // a history replay, already in the gateway's history
    const line = toIrcChatLine(event, isAction);
    if (line) this.emit("line", line);
  }

  #onJoin(event: TIrcJoinEvent) {
    const channel = channelNameOf(event.channel);
    if (!channel) return;
    if (event.nick === this.#client.user.nick) {
      this.#pendingJoins.get(channel)?.();
      this.#pendingJoins.delete(channel);
      return;
    }
    // Only the channel's owner can hold a nick that maps to its name (IRC token or the gateway).
    if (usernameOfNick(event.nick) === channel) {
      this.#client.raw(`SAMODE ${ircChannel(channel)} +o ${event.nick}`);
    }
  }
}
