import { EventEmitter } from "node:events";
import type { Logger } from "@relaycast/logger";
import type { TIrcServer } from "./channel-reader.ts";
import {
  IrcUserConnection,
  type TIrcUser,
  type TIrcUserStatus,
  type TOutgoingLine,
} from "./irc-user-connection.ts";

export type TIrcUserPoolOptions = {
  server: TIrcServer;
  webircPassword: string;
  /** How long a connection outlives its user's last open chat (a reload should not re-register). */
  lingerMs: number;
  /** A connection whose user has sent nothing for this long is closed; their next line reopens it. */
  idleMs: number;
  log: Logger;
};

type TEntry = {
  user: TIrcUser;
  ip: string;
  connection: IrcUserConnection | null;
  /** Open chats (sockets) per channel. */
  leases: Map<string, number>;
  /** Channels whose last chat closed, and when: parted after the linger, so a reload does not part and rejoin. */
  released: Map<string, number>;
  lastActiveAt: number;
};

export type TIrcUserPoolEvents = {
  status: [userId: string, status: TIrcUserStatus];
  refused: [userId: string, refusal: { channel: string | null; reason: string }];
};

export type TIrcUserLease = {
  status(): TIrcUserStatus;
  /** Sends as the user, reopening their connection if it was reaped while idle. */
  say(line: TOutgoingLine): Promise<void>;
  release(): void;
};

/**
 * The gateway's per-user IRC connections: shared by a user's open chats, reaped when unused.
 * Their status changes and refusals are re-emitted with the user's id.
 */
export class IrcUserPool extends EventEmitter<TIrcUserPoolEvents> {
  readonly #entries = new Map<string, TEntry>();
  readonly #sweep: NodeJS.Timeout;

  constructor(private readonly options: TIrcUserPoolOptions) {
    super();
    this.#sweep = setInterval(
      () => this.#reap(),
      Math.max(1_000, Math.min(options.lingerMs, options.idleMs, 30_000) / 2),
    );
    this.#sweep.unref();
  }

  get size(): number {
    let open = 0;
    for (const entry of this.#entries.values()) if (entry.connection) open++;
    return open;
  }

  /** Opens (or shares) the user's connection and joins the channel with it. */
  acquire(user: TIrcUser, ip: string, channel: string): TIrcUserLease {
    const entry = this.#entries.get(user.id) ?? {
      user,
      ip,
      connection: null,
      leases: new Map(),
      released: new Map(),
      lastActiveAt: 0,
    };
    this.#entries.set(user.id, entry);
    entry.leases.set(channel, (entry.leases.get(channel) ?? 0) + 1);
    entry.released.delete(channel);
    entry.lastActiveAt = Date.now();
    this.#open(entry).join(channel);
    let isReleased = false;
    return {
      // A connection reaped while idle is reopened by the next line: chat is usable meanwhile.
      status: () => entry.connection?.status ?? "connected",
      say: async (line) => {
        entry.lastActiveAt = Date.now();
        await this.#open(entry).say(channel, line);
      },
      release: () => {
        if (isReleased) return;
        isReleased = true;
        const left = (entry.leases.get(channel) ?? 1) - 1;
        if (left > 0) entry.leases.set(channel, left);
        else {
          entry.leases.delete(channel);
          entry.released.set(channel, Date.now());
        }
        entry.lastActiveAt = Date.now();
      },
    };
  }

  /** Closes a user's connection now and forgets them (a suspended account): it does not reconnect. */
  drop(userId: string) {
    this.#entries.get(userId)?.connection?.close();
    this.#entries.delete(userId);
  }

  close() {
    clearInterval(this.#sweep);
    for (const entry of this.#entries.values()) entry.connection?.close();
    this.#entries.clear();
  }

  #open(entry: TEntry): IrcUserConnection {
    if (entry.connection) return entry.connection;
    const { server, webircPassword, log } = this.options;
    const connection = new IrcUserConnection(server, webircPassword, entry.user, entry.ip, log);
    connection.on("status", (status) => this.emit("status", entry.user.id, status));
    connection.on("refused", (refusal) => this.emit("refused", entry.user.id, refusal));
    entry.connection = connection;
    for (const channel of entry.leases.keys()) entry.connection.join(channel);
    return entry.connection;
  }

  #reap() {
    const now = Date.now();
    for (const [userId, entry] of this.#entries) {
      for (const [channel, releasedAt] of entry.released) {
        if (now - releasedAt < this.options.lingerMs) continue;
        entry.released.delete(channel);
        entry.connection?.part(channel);
      }
      const idleFor = now - entry.lastActiveAt;
      const isUnused = entry.leases.size === 0 && idleFor >= this.options.lingerMs;
      if (!isUnused && idleFor < this.options.idleMs) continue;
      entry.connection?.close();
      entry.connection = null;
      if (entry.leases.size === 0) this.#entries.delete(userId);
    }
  }
}
