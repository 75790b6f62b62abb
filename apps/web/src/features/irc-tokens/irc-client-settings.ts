/** What an IRC client needs to reach the platform's IRC server, and the commands to type. */
const NETWORK = "relaycast";

export type TIrcClientSettings = {
  host: string;
  port: number;
  /** The user's username: their nick and their channel (`#<username>`). */
  nick: string;
  /** The token itself when it was just issued, else a placeholder. */
  token: string;
};

export function irssiCommands({ host, port, nick, token }: TIrcClientSettings) {
  return {
    /** irssi's /connect takes the server password and nick after the port. */
    quick: `/connect ${host} ${port} ${token} ${nick}`,
    saved: [
      `/network add -nick ${nick} ${NETWORK}`,
      `/server add -auto -network ${NETWORK} ${host} ${port} ${token}`,
      `/connect ${NETWORK}`,
    ],
  };
}

/** WeeChat ≥ 4.0 uses TLS unless told otherwise; this port is plain text. */
export function weechatCommands({ host, port, nick, token }: TIrcClientSettings) {
  return [
    `/server add ${NETWORK} ${host}/${port} -notls -password=${token}`,
    `/set irc.server.${NETWORK}.nicks ${nick}`,
    `/connect ${NETWORK}`,
  ];
}
