import { isIP } from "node:net";
import { z } from "zod";
import { ZPort } from "./common.ts";

const SERVER_NAME = /^(?=.{3,64}$)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const BIND_HOST = z.string().regex(/^(\*|[A-Za-z0-9.:-]{1,253})$/, "must be an IP address, a host name or *");
const HOST_MASK = /^[A-Za-z0-9.:*?/-]{1,253}$/;

/** `name@host:port`, e.g. `irc2.relaycast.local@ircd-2:7000`. */
const LINK_PEER = /^(?<name>[A-Za-z0-9.-]+)@(?<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(?<port>\d{1,5})$/;
const ZLinkPeer = z
  .string()
  .trim()
  .regex(LINK_PEER, "must be name@host:port, e.g. irc2.relaycast.local@ircd-2:7000")
  .transform((value) => {
    const { name = "", host = "", port = "0" } = LINK_PEER.exec(value)?.groups ?? {};
    return { name, host: host.replace(/^\[|\]$/g, ""), port: Number(port) };
  })
  .refine((peer) => SERVER_NAME.test(peer.name), "the name must be a server name with a dot")
  .refine((peer) => peer.port >= 1 && peer.port <= 65535, "the port must be 1-65535");

const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((value) => value.split(",").filter((part) => part.trim() !== ""))
    .pipe(z.array(item));

/**
 * The IRC server's settings (InspIRCd as `npm start`, the `ircd` app of a cluster, and compose and
 * Kubernetes run it): its name and SID in the network, its ports, and the servers it links with.
 */
export const ZIrcServerEnv = z.object({
  /** This server's name; unique in the network. */
  IRC_SERVER_NAME: z
    .string()
    .regex(SERVER_NAME, "must be a server name with a dot, e.g. irc1.relaycast.local")
    .default("irc.relaycast.local"),
  /** Server id: a digit then two digits or capitals, unique in the network. */
  IRC_SERVER_ID: z
    .string()
    .regex(/^[0-9][0-9A-Z]{2}$/, "must be a digit followed by two digits or capital letters, e.g. 0AA")
    .default("0AA"),
  /** The servers this one links with, comma-separated `name@host:port`; each lists the others. */
  IRC_LINK_PEERS: commaList(ZLinkPeer).default([]),
  /** The link password every server of the network shares; derived from IRC_SECRET when unset. */
  IRC_LINK_SECRET: z
    .string()
    .regex(/^(?!:)[!-~]{32,256}$/, "must be 32-256 printable ASCII characters without spaces")
    .optional(),
  /** InspIRCd's plain-text port for IRC clients (for local use). */
  IRC_PORT: ZPort.default(6667),
  /** InspIRCd's TLS port for IRC clients. */
  IRC_TLS_PORT: ZPort.default(6697),
  /** PEM certificate and key of the TLS port; without them one is generated into the IRC data folder. */
  IRC_TLS_CERT_FILE: z.string().min(1).optional(),
  IRC_TLS_KEY_FILE: z.string().min(1).optional(),
  /** InspIRCd's port for the chat gateways. */
  IRC_GATEWAY_PORT: ZPort.default(6670),
  /** InspIRCd's port for links with other IRC servers. */
  IRC_SERVER_PORT: ZPort.default(7000),
  /** Where the IRC client and server ports listen; "*" for every interface. */
  IRC_BIND_HOST: BIND_HOST.default("127.0.0.1"),
  /** Where the gateway port listens: loopback unless the gateways run on other hosts. */
  IRC_GATEWAY_BIND_HOST: BIND_HOST.default("127.0.0.1"),
  /** Addresses (IP, mask or CIDR) the chat gateways connect from: WEBIRC and the oper login accept only these. */
  IRC_GATEWAY_HOSTS: commaList(z.string().trim().regex(HOST_MASK, "must be an IP, host or CIDR mask"))
    .refine((hosts) => hosts.length > 0, "must name at least one address")
    .default(["127.0.0.1"]),
  INSPIRCD_PATH: z.string().min(1).default("/usr/sbin/inspircd"),
});

type TIrcServerEnv = z.output<typeof ZIrcServerEnv>;

export type TIrcLinkPeer = {
  name: string;
  host: string;
  port: number;
  /** Whom the peer may connect from: its address when given as one, else anyone with the link password. */
  allowMask: string;
  /** One side of each link connects: the server whose name sorts first. */
  autoconnect: boolean;
};

export type TIrcServerConfig = {
  serverName: string;
  serverId: string;
  linkSecret: string | undefined;
  peers: TIrcLinkPeer[];
  publicPort: number;
  tlsPort: number;
  tls: { certFile: string; keyFile: string } | undefined;
  gatewayPort: number;
  serverPort: number;
  bindHost: string;
  gatewayBindHost: string;
  gatewayHosts: string[];
  binaryPath: string;
};

/** The IRC server's ports, as the launcher checks them against its other ports. */
export function ircServerPorts(env: TIrcServerEnv): Array<[string, number]> {
  return [
    ["IRC_PORT", env.IRC_PORT],
    ["IRC_TLS_PORT", env.IRC_TLS_PORT],
    ["IRC_GATEWAY_PORT", env.IRC_GATEWAY_PORT],
    ["IRC_SERVER_PORT", env.IRC_SERVER_PORT],
  ];
}

/** Problems the schema alone cannot see: a cert without its key, a peer named like this server. */
export function ircServerIssues(env: TIrcServerEnv): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  if (Boolean(env.IRC_TLS_CERT_FILE) !== Boolean(env.IRC_TLS_KEY_FILE))
    issues.push({ path: "IRC_TLS_CERT_FILE", message: "IRC_TLS_CERT_FILE and IRC_TLS_KEY_FILE go together" });
  // Refinements run even when a peer failed to parse (it is then still a string): skip those.
  const parsedPeers: unknown[] = env.IRC_LINK_PEERS;
  const names = parsedPeers.flatMap((peer) =>
    typeof peer === "object" && peer !== null && "name" in peer ? [String(peer.name).toLowerCase()] : [],
  );
  if (new Set(names).size !== names.length || names.includes(env.IRC_SERVER_NAME.toLowerCase()))
    issues.push({
      path: "IRC_LINK_PEERS",
      message: "peer names must be unique and differ from IRC_SERVER_NAME",
    });
  return issues;
}

export function toIrcServerConfig(env: TIrcServerEnv): TIrcServerConfig {
  const ownName = env.IRC_SERVER_NAME.toLowerCase();
  return {
    serverName: env.IRC_SERVER_NAME,
    serverId: env.IRC_SERVER_ID,
    linkSecret: env.IRC_LINK_SECRET,
    peers: env.IRC_LINK_PEERS.map((peer) => ({
      ...peer,
      allowMask: isIP(peer.host) ? peer.host : "*",
      autoconnect: ownName < peer.name.toLowerCase(),
    })),
    publicPort: env.IRC_PORT,
    tlsPort: env.IRC_TLS_PORT,
    tls:
      env.IRC_TLS_CERT_FILE && env.IRC_TLS_KEY_FILE
        ? { certFile: env.IRC_TLS_CERT_FILE, keyFile: env.IRC_TLS_KEY_FILE }
        : undefined,
    gatewayPort: env.IRC_GATEWAY_PORT,
    serverPort: env.IRC_SERVER_PORT,
    bindHost: env.IRC_BIND_HOST,
    gatewayBindHost: env.IRC_GATEWAY_BIND_HOST,
    gatewayHosts: env.IRC_GATEWAY_HOSTS,
    binaryPath: env.INSPIRCD_PATH,
  };
}
