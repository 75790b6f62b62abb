import "server-only";
import { createStreamRegistry, type NodeRecord, type StreamRegistry } from "@relaycast/media/cluster";
import { getConfig } from "@/lib/config.ts";
import { sharedPoll } from "../live/shared-poll.ts";

/** The registry moves every second (heartbeats): fresh enough for directing, one read per process. */
const NODES_MAX_AGE_MS = 1_000;

let registry: StreamRegistry | undefined;

function clusterRegistry(): StreamRegistry | null {
  const cluster = getConfig().cluster;
  if (!cluster) return null;
  return (registry ??= createStreamRegistry({ redisUrl: cluster.redisUrl, prefix: cluster.registryPrefix }));
}

const pollNodes = sharedPoll(NODES_MAX_AGE_MS, () => clusterRegistry()!.nodes());

/** The cluster's live media nodes; null when there is no cluster (one media node, as configured). */
export async function clusterNodes(): Promise<NodeRecord[] | null> {
  return clusterRegistry() ? pollNodes("nodes") : null;
}

/** The node that holds a live channel in the cluster, or null (not live, or no cluster). */
export async function originNodeOf(channel: string): Promise<NodeRecord | null> {
  const nodes = await clusterNodes();
  if (!nodes) return null;
  const originId = await clusterRegistry()!.originOf(channel);
  return nodes.find((node) => node.id === originId) ?? null;
}
