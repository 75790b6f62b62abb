import "server-only";
import { pickEdge, pickOrigin } from "@relaycast/media/cluster";
import { browsedHostname, mediaPublicUrlOf } from "@/lib/browsed-host.ts";
import { getConfig } from "@/lib/config.ts";
import { clusterNodes } from "./media-nodes.ts";

/** Where a viewer plays a channel: a media node's HTTP origin (FLV, HLS) and its RTMP base URL. */
export type TPlayTarget = { nodeId: string | null; httpUrl: string; rtmpUrl: string };

/**
 * The edge a new viewer of `channel` should use: in a cluster, the one the registry says carries the
 * channel with headroom, else the least loaded; on one machine, the configured media node.
 */
export async function directViewer(channel: string, hostHeader: string | null): Promise<TPlayTarget | null> {
  const nodes = await clusterNodes();
  if (!nodes) return singleNode(hostHeader);
  const edge = pickEdge(nodes, channel);
  return edge && { nodeId: edge.id, httpUrl: edge.httpUrl, rtmpUrl: edge.rtmpUrl };
}

/** The RTMP ingest a broadcaster should publish to: the least loaded origin, or the configured one. */
export async function directBroadcaster(
  hostHeader: string | null,
): Promise<{ rtmpUrl: string; nodeId: string | null }> {
  const configured = getConfig().rtmpIngestUrl;
  const nodes = configured ? null : await clusterNodes();
  const origin = nodes && pickOrigin(nodes);
  if (origin) return { rtmpUrl: `${origin.rtmpUrl}/live`, nodeId: origin.id };
  return { rtmpUrl: configured ?? `rtmp://${browsedHostname(hostHeader)}:1935/live`, nodeId: null };
}

function singleNode(hostHeader: string | null): TPlayTarget {
  return {
    nodeId: null,
    httpUrl: mediaPublicUrlOf(getConfig().mediaPublicUrl, hostHeader),
    rtmpUrl: `rtmp://${browsedHostname(hostHeader)}:1935`,
  };
}
