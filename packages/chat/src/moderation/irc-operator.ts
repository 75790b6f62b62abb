import { ircChannel } from "../irc/irc-names.ts";

/** The gateway's IRC operator connection (its reader): raw commands, while it is registered. */
export interface IOperatorConnection {
  readonly isConnected: boolean;
  command(...args: string[]): void;
}

/** Modes one MODE line may carry (InspIRCd's <limits maxmodes> is 20; kept well under). */
const MODES_PER_LINE = 6;

/**
 * What the gateway does on IRC with operator power. Every moderation act reaches IRC through here,
 * on the one operator connection, so IRC clients and web viewers see the same channel. SAMODE and
 * SAKICK work whether or not the reader holds channel op (it does not after it rejoins a channel
 * that outlived it).
 */
export class IrcOperator {
  constructor(private readonly connection: IOperatorConnection) {}

  get isConnected(): boolean {
    return this.connection.isConnected;
  }

  setChannelOp(channel: string, nick: string, isOp: boolean) {
    this.connection.command("SAMODE", ircChannel(channel), isOp ? "+o" : "-o", nick);
  }

  /** Adds (+) or removes (-) channel bans, extbans included. */
  setBans(channel: string, sign: "+" | "-", masks: string[]) {
    for (let index = 0; index < masks.length; index += MODES_PER_LINE) {
      const batch = masks.slice(index, index + MODES_PER_LINE);
      this.connection.command("SAMODE", ircChannel(channel), `${sign}${"b".repeat(batch.length)}`, ...batch);
    }
  }

  kick(channel: string, nick: string, reason: string) {
    this.connection.command("SAKICK", ircChannel(channel), nick, reason);
  }

  /**
   * Shuns masks network-wide (a site-wide chat ban): the user stays connected but nothing they send
   * reaches anyone. `reason` null lifts the shuns.
   */
  shun(masks: string[], reason: string | null) {
    for (const mask of masks) {
      if (reason === null) this.connection.command("SHUN", mask);
      else this.connection.command("SHUN", mask, "0", reason);
    }
  }

  /** A line every IRC client in the channel sees from the gateway. */
  notice(channel: string, text: string) {
    this.connection.command("NOTICE", ircChannel(channel), text);
  }

  /**
   * Ends the IRC session holding a nick, on any server of the network (an oper KILL). A web
   * user's own connection reconnects by itself; an IRC client must log in again. False when the
   * operator is not connected.
   */
  disconnect(nick: string, reason: string): boolean {
    if (!this.connection.isConnected) return false;
    this.connection.command("KILL", nick, reason);
    return true;
  }
}
