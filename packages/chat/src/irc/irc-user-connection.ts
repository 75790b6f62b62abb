import { EventEmitter } from "node:events";
import { Client, type TIrcErrorEvent, type TIrcJoinEvent, type TIrcKickEvent } from "./irc-framework.ts";
import type { Logger } from "@relaycast/logger";
import { keepConnected } from "./keep-connected.ts";
import { ircTextBudget } from "../text/irc-text-budget.ts";
import { ircPrivmsg } from "../translate/irc-privmsg.ts";
import type { TIrcServer } from "./channel-reader.ts";
import { WEB_NICK_SUFFIX, ircChannel, identForUser, usernameOfNick } from "./irc-names.ts";

export type TIrcUserStatus = "connecting" | "connected" | "disconnected";

export type TIrcUserConnectionEvents = {
  status: [TIrcUserStatus];
  /** Something the user should be told: kicked, banned from a channel, … */
  refused: [{ channel: string | null; reason: string }];
};

export type TIrcUser = { id: string; username: string };

export type TOutgoingLine = { text: string; isAction: boolean; replyTo?: string };

const REGISTRATION_TIMEOUT_MS = 15_000;
const JOIN_TIMEOUT_MS = 10_000;
const LONGEST_CHANNEL = `#${"x".repeat(25)}`;

/**
 * One web user's own IRC connection, made through the gateway port with WEBIRC so it carries the
 * viewer's IP, the nick of their username and the ident `u_<id>`: IRC sees who said what, and a
 * ban hits only them. It is deaf (+d): the shared reader hears the channels for everyone.
 * It reconnects by itself and rejoins its channels.
 */
export class IrcUserConnection extends EventEmitter<TIrcUserConnectionEvents> {
  readonly #client: Client;
  /** Bytes of text one PRIVMSG may carry (see ircTextBudget). */
  readonly #textBudget: number;
  readonly #reconnection: { stop(): void };
  readonly #channels = new Set<string>();
  /** Channels being joined on the current connection, settled by the server's JOIN or refusal. */
  readonly #joining = new Map<string, { promise: Promise<void>; settle: (error?: Error) => void }>();
  readonly #inChannels = new Set<string>();
  #status: TIrcUserStatus = "connecting";
  #registered: Promise<void>;
  #isClosed = false;

  constructor(
    server: TIrcServer,
    webircPassword: string,
    private readonly user: TIrcUser,
    ip: string,
    private readonly log: Logger,
  ) {
    super();
    const ident = identForUser(user.id);
    this.#textBudget = ircTextBudget({
      nick: `${user.username}${WEB_NICK_SUFFIX}`,
      ident,
      channel: LONGEST_CHANNEL,
    });
    this.#client = new Client({
      host: server.host,
      port: server.port,
      password: server.password,
      nick: user.username,
      username: ident,
      gecos: user.username,
      auto_reconnect: false,
      message_max_length: this.#textBudget,
      webirc: { password: webircPassword, username: "relaycast", hostname: ip, address: ip },
    });
    this.#reconnection = keepConnected(this.#client);
    this.#registered = this.#waitForRegistration();
    this.#client.on("registered", () => this.#onRegistered());
    this.#client.on("socket close", () => this.#setStatus("disconnected"));
    this.#client.on("nick in use", () => this.#onNickInUse());
    this.#client.on("kick", (event: TIrcKickEvent) => this.#onKick(event));
    this.#client.on("irc error", (event: TIrcErrorEvent) => this.#onIrcError(event));
    this.#client.on("join", (event: TIrcJoinEvent) => this.#onJoin(event));
    this.#client.connect();
  }

  get status(): TIrcUserStatus {
    return this.#status;
  }

  /** Resolves once the connection is registered on IRC (about a second after it opens). */
  ready(): Promise<void> {
    return this.#status === "connected" ? Promise.resolve() : this.#registered;
  }

  join(channel: string) {
    if (this.#channels.has(channel)) return;
    this.#channels.add(channel);
    if (this.#status === "connected") this.#client.join(ircChannel(channel));
  }

  part(channel: string) {
    if (!this.#channels.delete(channel)) return;
    this.#inChannels.delete(channel);
    if (this.#status === "connected") this.#client.part(ircChannel(channel));
  }

  /**
   * Sends a line (or a /me action) to a channel once the connection is in it, split on UTF-8
   * boundaries if it would not fit one IRC line. Rejects when IRC refuses the join.
   */
  async say(channel: string, line: TOutgoingLine) {
    await this.ready();
    this.join(channel);
    await this.#inChannel(channel);
    const target = ircChannel(channel);
    if (line.isAction) this.#client.action(target, line.text);
    else if (Buffer.byteLength(line.text) <= this.#textBudget) {
      // Fits one line: written as is; irc-framework's say() would split every line into graphemes
      // to find out.
      this.#client.raw(ircPrivmsg(target, line.text, line.replyTo));
    } else this.#client.say(target, line.text, line.replyTo ? { "+draft/reply": line.replyTo } : undefined);
  }

  #inChannel(channel: string): Promise<void> {
    if (this.#inChannels.has(channel)) return Promise.resolve();
    const pending = this.#joining.get(channel);
    if (pending) return pending.promise;
    let settle!: (error?: Error) => void;
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`joining #${channel} timed out`)), JOIN_TIMEOUT_MS);
      settle = (error) => {
        clearTimeout(timer);
        this.#joining.delete(channel);
        if (error) reject(error);
        else resolve();
      };
    });
    this.#joining.set(channel, { promise, settle });
    return promise;
  }

  #onJoin(event: TIrcJoinEvent) {
    if (event.nick !== this.#client.user.nick) return;
    const channel = event.channel.slice(1).toLowerCase();
    this.#inChannels.add(channel);
    this.#joining.get(channel)?.settle();
  }

  close() {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#reconnection.stop();
    this.#client.quit("Left the chat");
    this.#client.removeAllListeners();
    this.removeAllListeners();
  }

  #waitForRegistration(): Promise<void> {
    const registered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("IRC registration timed out")),
        REGISTRATION_TIMEOUT_MS,
      );
      this.#client.once("registered", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    registered.catch(() => {}); // observed by whoever awaits ready()
    return registered;
  }

  #onRegistered() {
    this.#client.raw("MODE", this.#client.user.nick, "+d");
    for (const channel of this.#channels) this.#client.join(ircChannel(channel));
    this.#setStatus("connected");
  }

  #onNickInUse() {
    // Before registration only: an IRC client of the same user holds the nick, so the web speaks
    // as `name|web`; a second collision means something else is wrong.
    const fallback = `${this.user.username}${WEB_NICK_SUFFIX}`;
    if (this.#client.user.nick !== fallback) {
      this.#client.changeNick(fallback);
      return;
    }
    this.log.warn({ username: this.user.username }, "both IRC nicks of a web user are in use");
    this.emit("refused", { channel: null, reason: "Your nick is in use on IRC." });
  }

  #onKick(event: TIrcKickEvent) {
    if (event.kicked !== this.#client.user.nick) return;
    const channel = event.channel.slice(1).toLowerCase();
    this.#channels.delete(channel);
    this.#inChannels.delete(channel);
    this.emit("refused", {
      channel,
      // A gateway's kick (a ban) comes from the server: the reason names the moderator.
      reason: `You were removed from the chat${usernameOfNick(event.nick) ? ` by ${event.nick}` : ""}: ${event.message}`,
    });
  }

  #onIrcError(event: TIrcErrorEvent) {
    const channel = event.channel?.startsWith("#") ? event.channel.slice(1).toLowerCase() : null;
    const reason = event.reason ?? event.error;
    if (channel && !this.#inChannels.has(channel)) {
      this.#channels.delete(channel);
      this.#joining.get(channel)?.settle(new Error(reason));
    }
    this.emit("refused", { channel, reason });
  }

  #setStatus(status: TIrcUserStatus) {
    if (status === this.#status || (this.#isClosed && status !== "disconnected")) return;
    this.#status = status;
    if (status === "disconnected") this.#inChannels.clear();
    if (status === "disconnected" && !this.#isClosed) {
      this.#registered = this.#waitForRegistration();
      this.#status = "connecting";
    }
    this.emit("status", this.#status);
  }
}
