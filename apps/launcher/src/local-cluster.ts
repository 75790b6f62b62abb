import { join } from "node:path";
import type { TIrcServerConfig } from "@relaycast/config";

/** One media node of `npm run cluster:local`: its id, role and ports on this machine. */
export type LocalClusterNode = {
  id: string;
  role: "origin" | "edge";
  rtmpPort: number;
  httpPort: number;
  relayPort: number;
  /** RTMPS ingest, on origins. */
  rtmpsPort?: number;
};

/**
 * The local cluster's media nodes: two origins and two edges, each a process of its own with fixed
 * ids (so they keep them across restarts) and ports of their own. Edge 1 takes the one-machine
 * defaults (RTMP 1935 for players, HTTP 8000); broadcasters get an origin from the director.
 */
export const LOCAL_CLUSTER: LocalClusterNode[] = [
  { id: "local-origin-1", role: "origin", rtmpPort: 1936, httpPort: 8010, relayPort: 1940, rtmpsPort: 1946 },
  { id: "local-origin-2", role: "origin", rtmpPort: 1937, httpPort: 8011, relayPort: 1941, rtmpsPort: 1947 },
  { id: "local-edge-1", role: "edge", rtmpPort: 1935, httpPort: 8000, relayPort: 1942 },
  { id: "local-edge-2", role: "edge", rtmpPort: 1938, httpPort: 8001, relayPort: 1943 },
];

/** What a local cluster node adds to the media service's environment. */
export function localClusterNodeEnv(
  node: LocalClusterNode,
  {
    dataDir,
    redisUrl,
    clusterSecret,
    rtmps,
  }: { dataDir: string; redisUrl: string; clusterSecret: string; rtmps: Record<string, string> },
): Record<string, string> {
  return {
    ...(node.rtmpsPort && { ...rtmps, MEDIA_RTMPS_PORT: String(node.rtmpsPort) }),
    MEDIA_ROLE: node.role,
    MEDIA_NODE_ID: node.id,
    MEDIA_HOST: "127.0.0.1",
    MEDIA_PUBLIC_HOST: "localhost",
    MEDIA_RTMP_PORT: String(node.rtmpPort),
    MEDIA_HTTP_PORT: String(node.httpPort),
    MEDIA_RELAY_PORT: String(node.relayPort),
    MEDIA_RELAY_ADDRESS: `127.0.0.1:${node.relayPort}`,
    MEDIA_API_URL: `http://127.0.0.1:${node.httpPort}`,
    REDIS_URL: redisUrl,
    CLUSTER_SECRET: clusterSecret,
    DATA_DIR: join(dataDir, "cluster", node.id),
  };
}

/** The line `cluster:local` prints for a node: id, role, RTMP and HTTP URLs. */
export function describeLocalNode(node: LocalClusterNode): string {
  return `${node.id.padEnd(15)} ${node.role.padEnd(6)} rtmp://localhost:${node.rtmpPort}  http://localhost:${node.httpPort}`;
}

/**
 * The local cluster's IRC network: the configured server and a second one linked to it, each with
 * a chat gateway of its own (the second gateway on CHAT_PORT + 1), as compose runs them.
 */
export function localIrcNetwork(first: TIrcServerConfig): [TIrcServerConfig, TIrcServerConfig] {
  const secondName = "irc2.relaycast.local";
  const second: TIrcServerConfig = {
    ...first,
    serverName: secondName,
    serverId: "1AA",
    publicPort: first.publicPort + 1,
    tlsPort: first.tlsPort + 1,
    gatewayPort: first.gatewayPort + 1,
    serverPort: first.serverPort + 1,
    peers: [linkTo(first, secondName)],
  };
  return [{ ...first, peers: [linkTo(second, first.serverName)] }, second];
}

function linkTo(peer: TIrcServerConfig, ownName: string): TIrcServerConfig["peers"][number] {
  return {
    name: peer.serverName,
    host: "127.0.0.1",
    port: peer.serverPort,
    allowMask: "127.0.0.1",
    autoconnect: ownName.toLowerCase() < peer.serverName.toLowerCase(),
  };
}

/** The line `cluster:local` prints for an IRC server and its chat gateway. */
export function describeLocalIrc(server: TIrcServerConfig, chatPort: number): string {
  return `${server.serverName.padEnd(21)} irc://localhost:${server.publicPort} (TLS ${server.tlsPort})  chat gateway :${chatPort}`;
}
