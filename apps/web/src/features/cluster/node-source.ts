import type { NodeRecord, StreamRegistry } from "@relaycast/media/cluster";

/**
 * The media nodes as the web reads them: the cluster's registry, or on one machine the one
 * configured media node (`singleNodeSource`). The director chooses among `nodes()`; stream status
 * is read from the node `originOf` names.
 */
export type NodeSource = Pick<StreamRegistry, "nodes" | "originOf">;

/** The id the one media node of a single machine goes by, in answers and in `originOf`. */
export const SINGLE_NODE_ID = "local";

/**
 * One machine as a cluster of one: the configured media node serves viewers, takes publishers, and
 * holds whatever is live (its own API says what). Its load is never read: with one node there is no
 * choice to make, so it carries no figures.
 */
export function singleNodeSource({
  httpUrl,
  apiUrl,
  rtmpUrl,
}: Pick<NodeRecord, "httpUrl" | "apiUrl" | "rtmpUrl">): NodeSource {
  const record: NodeRecord = {
    id: SINGLE_NODE_ID,
    role: "all",
    rtmpUrl,
    httpUrl,
    apiUrl,
    relayAddress: null,
    capacity: { viewers: 1, mbps: 1 },
    load: { viewers: 0, egressMbps: 0, cpu: 0 },
    channels: [],
    heartbeatAt: 0,
  };
  return { nodes: async () => [record], originOf: async () => SINGLE_NODE_ID };
}
