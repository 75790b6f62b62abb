import { ircChannel } from "../irc/irc-names.ts";

/** The gateway's IRC operator connection (its reader): raw commands, while it is registered. */
export interface IOperatorConnection {
  readonly isConnected: boolean;
  command(...args: string[]): void;
}

/**
 * What the gateway does on IRC with operator power. Every moderation act reaches IRC through here,
 * on the one operator connection, so IRC clients and web viewers see the same channel.
 */
export class IrcOperator {
  constructor(private readonly connection: IOperatorConnection) {}

  giveChannelOp(channel: string, nick: string) {
    this.connection.command("SAMODE", ircChannel(channel), "+o", nick);
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
