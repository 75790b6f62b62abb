import { createHmac } from "node:crypto";

/** Everything secret the IRC server and the chat gateway share, derived from one IRC_SECRET. */
export type IrcCredentials = {
  /** The gateway port's connect-class password (PASS on every gateway connection). */
  gatewayPassword: string;
  /** The WEBIRC password, sent by the gateway to carry each viewer's IP. */
  webircPassword: string;
  /** The gateway's oper account: `OPER <operName> <operPassword>`. */
  operName: string;
  operPassword: string;
  /** sendpass/recvpass of every server link; all servers of one network share the secret. */
  linkPassword: string;
  /** The HMAC-SHA256 key of the host cloaks; every server of a network shows the same cloak. */
  cloakKey: string;
  /** The password of the restricted database role InspIRCd's sqlauth logs in with. */
  databasePassword: string;
};

const MIN_SECRET_LENGTH = 16;

/**
 * The IRC credentials for one secret: each is HMAC-SHA256(secret, purpose) in lowercase hex, so the
 * launcher passes a single secret to the IRC server and the gateway, and every server of a network
 * derives the same link password. The values are secrets: never log them.
 */
export function deriveIrcCredentials(secret: string): IrcCredentials {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The IRC secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  const derive = (purpose: string) =>
    createHmac("sha256", secret).update(`relaycast irc ${purpose}`).digest("hex");
  return {
    gatewayPassword: derive("gateway password"),
    webircPassword: derive("webirc password"),
    operName: `gateway_${derive("oper name").slice(0, 8)}`,
    operPassword: derive("oper password"),
    linkPassword: derive("link password"),
    cloakKey: derive("cloak key"),
    databasePassword: derive("database password"),
  };
}
