import { pickEdge, pickOrigin, type NodeRecord } from "@relaycast/media/cluster";
import type { TChannelStatus } from "../live/channel-status.ts";
import { playSourcesFor, type TPlaySource } from "../live/play-sources.ts";
import type { NodeSource } from "./node-source.ts";

/** GET /api/v1/channels/<name>/play: where a viewer plays a channel now. */
export type TPlayAnswer = {
  channel: string;
  liveState: TChannelStatus["liveState"];
  /** The id of the edge the sources are on; null when there is nothing to play. */
  node: string | null;
  /** Low-latency first: WebSocket-FLV, HTTP-FLV, HLS. None while offline. */
  sources: TPlaySource[];
  /** For ffplay and VLC: `rtmp://<edge>/live/<channel>`. */
  rtmpUrl: string | null;
};

/** GET /api/v1/ingest: where a broadcaster publishes now, `<rtmpUrl>/<stream key>` (no key in it). */
export type TIngestAnswer = { rtmpUrl: string; node: string | null };

/**
 * Sends a viewer to the edge `pickEdge` chooses (one carrying the channel with headroom, else the
 * least loaded), with that edge's URL for every protocol. An offline channel, or a cluster with no
 * node serving viewers, has nothing to play.
 *
 * `avoid` is the node a player just lost: a killed edge stays in the registry until its record
 * expires (up to 3 s), and a player sent back to it would fail again. Another node is picked while
 * there is one; the avoided node only when it is the last.
 */
export async function directViewer(
  source: NodeSource,
  channel: Pick<TChannelStatus, "name" | "liveState">,
  avoid: string | null = null,
): Promise<TPlayAnswer> {
  const edge =
    channel.liveState === "offline" ? null : pickEdgeAvoiding(await source.nodes(), channel.name, avoid);
  return {
    channel: channel.name,
    liveState: channel.liveState,
    node: edge?.id ?? null,
    sources: edge ? playSourcesFor(channel.name, edge.httpUrl) : [],
    rtmpUrl: edge ? `${edge.rtmpUrl}/live/${encodeURIComponent(channel.name)}` : null,
  };
}

function pickEdgeAvoiding(nodes: NodeRecord[], channel: string, avoid: string | null): NodeRecord | null {
  return (
    pickEdge(
      nodes.filter((node) => node.id !== avoid),
      channel,
    ) ?? pickEdge(nodes, channel)
  );
}

/**
 * Sends a broadcaster to the least loaded origin. A configured ingest URL (WEB_RTMP_INGEST_URL: the
 * one name that reaches every origin, behind DNS or a load balancer) wins over the director's choice.
 */
export async function directBroadcaster(
  source: NodeSource,
  configuredIngestUrl: string | undefined,
): Promise<TIngestAnswer | null> {
  if (configuredIngestUrl) return { rtmpUrl: configuredIngestUrl, node: null };
  const origin = pickOrigin(await source.nodes());
  return origin && { rtmpUrl: `${origin.rtmpUrl}/live`, node: origin.id };
}
