/** What a media node does: takes publishers, serves viewers, or both in one process. */
export type TMediaRole = "origin" | "edge" | "all";

/** A media node as the cluster sees it: published by its heartbeat, gone when the heartbeat stops. */
export type NodeRecord = {
  id: string;
  role: TMediaRole;
  /** Where publishers and RTMP players reach it, e.g. `rtmp://origin-1.example:1935`. */
  rtmpUrl: string;
  /** Where viewers reach its HTTP port (HTTP-FLV, WS-FLV, HLS, thumbnails), e.g. `http://edge-1.example:8000`. */
  httpUrl: string;
  /** Where the web app reads its stream API; inside the cluster's network. */
  apiUrl: string;
  /** `host:port` of its relay server: origins (and `all`) only. */
  relayAddress: string | null;
  capacity: { viewers: number; mbps: number };
  load: {
    viewers: number;
    egressMbps: number;
    /** CPU used by the process over the last heartbeat interval, in cores (1.0 = one core busy). */
    cpu: number;
  };
  /** Channels it serves viewers now: an edge's upstreams, an origin's (or `all`'s) live channels. */
  channels: string[];
  /** When the record was written, ms since the epoch. */
  heartbeatAt: number;
};

/**
 * Which node holds which live channel, and which nodes are alive. One process uses the in-memory
 * implementation; a cluster shares one in Redis.
 */
export interface StreamRegistry {
  /**
   * Claims a channel for an origin. True when it now holds it (it was free, or already this node's);
   * false when another node holds it. A claim lives until released, or until its holder stops renewing it.
   */
  claim(channel: string, nodeId: string): Promise<boolean>;
  /** Renews this node's claims; answers the channels among them it no longer holds. */
  renew(channels: string[], nodeId: string): Promise<string[]>;
  /** Gives a channel up, if this node holds it. */
  release(channel: string, nodeId: string): Promise<void>;
  /** The id of the node holding a channel, or null when nobody does. */
  originOf(channel: string): Promise<string | null>;
  /** Publishes a node's record; it expires when not published again within the registry's TTL. */
  heartbeat(record: NodeRecord): Promise<void>;
  /** Removes a node's record at once (a clean stop). */
  leave(nodeId: string): Promise<void>;
  /** The nodes alive now. */
  nodes(): Promise<NodeRecord[]>;
  close(): Promise<void>;
}
