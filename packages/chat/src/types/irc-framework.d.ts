// The parts of irc-framework 4.14 (which ships no types) that Relaycast uses.
declare module "irc-framework" {
  import { EventEmitter } from "node:events";

  export type TIrcTags = Record<string, string>;

  export type TIrcClientOptions = {
    host?: string;
    port?: number;
    nick?: string;
    username?: string;
    gecos?: string;
    password?: string;
    encoding?: string;
    version?: string | null;
    enable_chghost?: boolean;
    enable_echomessage?: boolean;
    auto_reconnect?: boolean;
    auto_reconnect_max_wait?: number;
    auto_reconnect_max_retries?: number;
    ping_interval?: number;
    ping_timeout?: number;
    message_max_length?: number;
    webirc?: { password: string; username: string; hostname: string; address: string; options?: TIrcTags };
  };

  export type TIrcMessageEvent = {
    nick: string;
    ident: string;
    hostname: string;
    target: string;
    message: string;
    tags: TIrcTags;
    time?: number;
    batch?: unknown;
  };

  export type TIrcJoinEvent = { nick: string; ident: string; hostname: string; channel: string };
  export type TIrcKickEvent = { kicked: string; nick: string; channel: string; message: string };
  export type TIrcErrorEvent = { error: string; channel?: string; reason?: string; nick?: string };
  export type TIrcUserlistEvent = { channel: string; users: { nick: string; modes: string[] }[] };

  export class Client extends EventEmitter {
    constructor(options?: TIrcClientOptions);
    options: TIrcClientOptions;
    connected: boolean;
    user: { nick: string; username: string };
    connect(options?: TIrcClientOptions): void;
    quit(message?: string): void;
    raw(...args: (string | number)[]): void;
    join(channel: string, key?: string): void;
    part(channel: string, message?: string): void;
    say(target: string, message: string, tags?: TIrcTags): void;
    action(target: string, message: string): string[];
    changeNick(nick: string): void;
    requestCap(caps: string | string[]): void;
  }
}
