/** What an IRC client needs to reach the platform's IRC server, and the commands to type. */
const NETWORK = "relaycast";

export type TIrcClientSettings = {
  host: string;
  port: number;
  /** Whether `port` is the TLS port (the one shown first) or the plain-text one. */
  isTls: boolean;
  /** The user's username: their nick and their channel (`#<username>`). */
  nick: string;
  /** The token itself when it was just issued, else a placeholder. */
  token: string;
};

export function irssiCommands({ host, port, isTls, nick, token }: TIrcClientSettings) {
  const tls = isTls ? "-tls " : "";
  return {
    /** irssi's /connect takes the server password and nick after the port. */
    quick: `/connect ${tls}${host} ${port} ${token} ${nick}`,
    saved: [
      `/network add -nick ${nick} ${NETWORK}`,
      `/server add -auto ${tls}-network ${NETWORK} ${host} ${port} ${token}`,
      `/connect ${NETWORK}`,
    ],
  };
}

/** WeeChat ≥ 4.0 uses TLS unless told otherwise; say which, for every version. */
export function weechatCommands({ host, port, isTls, nick, token }: TIrcClientSettings) {
  return [
    `/server add ${NETWORK} ${host}/${port} ${isTls ? "-tls" : "-notls"} -password=${token}`,
    `/set irc.server.${NETWORK}.nicks ${nick}`,
    `/connect ${NETWORK}`,
  ];
}
