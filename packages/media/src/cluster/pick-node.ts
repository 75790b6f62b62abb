import type { NodeRecord } from "./stream-registry.ts";

/**
 * How full a node is, 0 (idle) to 1 (at capacity) and past: the larger of its viewer and bandwidth
 * shares. CPU is not a share of capacity (cores differ from host to host); it breaks ties, so of two
 * equally full nodes the one with more CPU left gets the next viewer.
 */
export function loadOf(node: NodeRecord): number {
  return Math.max(node.load.viewers / node.capacity.viewers, node.load.egressMbps / node.capacity.mbps);
}

export function hasHeadroom(node: NodeRecord): boolean {
  return loadOf(node) < 1;
}

function leastLoaded(nodes: NodeRecord[]): NodeRecord | null {
  let best: NodeRecord | null = null;
  for (const node of nodes) {
    if (
      !best ||
      loadOf(node) < loadOf(best) ||
      (loadOf(node) === loadOf(best) &&
        (node.load.cpu < best.load.cpu || (node.load.cpu === best.load.cpu && node.id < best.id)))
    )
      best = node;
  }
  return best;
}

/**
 * The node a new viewer of `channel` should watch on: among the nodes serving viewers, one already
 * carrying the channel while it has headroom (no new upstream), else the least loaded with headroom,
 * else the least loaded of all (the cluster is full; someone must take the viewer).
 */
export function pickEdge(nodes: NodeRecord[], channel: string): NodeRecord | null {
  const serving = nodes.filter((node) => node.role !== "origin");
  const withHeadroom = serving.filter(hasHeadroom);
  return (
    leastLoaded(withHeadroom.filter((node) => node.channels.includes(channel))) ??
    leastLoaded(withHeadroom) ??
    leastLoaded(serving)
  );
}

/** The node a broadcaster should publish to: the least loaded that takes publishers. */
export function pickOrigin(nodes: NodeRecord[]): NodeRecord | null {
  return leastLoaded(nodes.filter((node) => node.role !== "edge"));
}
