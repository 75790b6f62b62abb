import "server-only";
import { createStreamRegistry, type NodeRecord, type StreamRegistry } from "@relaycast/media/cluster";
import { browsedHostname, mediaPublicUrlOf } from "@/lib/browsed-host.ts";
import { getConfig } from "@/lib/config.ts";
import { sharedPoll } from "../live/shared-poll.ts";
import { singleNodeSource, type NodeSource } from "./node-source.ts";

/** The registry moves every second (heartbeats): fresh enough for directing, one read per process. */
const NODES_MAX_AGE_MS = 1_000;

let registry: StreamRegistry | undefined;

function clusterRegistry(): StreamRegistry | null {
  const cluster = getConfig().cluster;
  if (!cluster) return null;
  return (registry ??= createStreamRegistry({ redisUrl: cluster.redisUrl, prefix: cluster.registryPrefix }));
}

const pollNodes = sharedPoll(NODES_MAX_AGE_MS, () => clusterRegistry()!.nodes());

/** The cluster's registry (its node list shared by every request for a second); null without REDIS_URL. */
function clusterNodeSource(): NodeSource | null {
  const cluster = clusterRegistry();
  return cluster && { nodes: () => pollNodes("nodes"), originOf: (channel) => cluster.originOf(channel) };
}

/**
 * The nodes the director chooses among: the cluster's, or the one configured media node, at the
 * URLs a visitor on this Host reaches it (by default the browsed host, ports 8000 and 1935).
 */
export function nodeSourceFor(hostHeader: string | null): NodeSource {
  const config = getConfig();
  return (
    clusterNodeSource() ??
    singleNodeSource({
      httpUrl: mediaPublicUrlOf(config.mediaPublicUrl, hostHeader),
      apiUrl: config.mediaApiUrl,
      rtmpUrl: `rtmp://${browsedHostname(hostHeader)}:1935`,
    })
  );
}

/** The cluster's live media nodes; null when there is no cluster (one media node, as configured). */
export async function clusterNodes(): Promise<NodeRecord[] | null> {
  return (await clusterNodeSource()?.nodes()) ?? null;
}

/** The node that holds a live channel in the cluster, or null (not live, or no cluster). */
export async function originNodeOf(channel: string): Promise<NodeRecord | null> {
  const source = clusterNodeSource();
  if (!source) return null;
  const [nodes, originId] = await Promise.all([source.nodes(), source.originOf(channel)]);
  return nodes.find((node) => node.id === originId) ?? null;
}
