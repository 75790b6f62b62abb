import type { NextRequest } from "next/server";
import { directViewer } from "@/features/cluster/director.ts";
import { pollChannelStatus } from "@/features/live/api-queries.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { playSourcesFor } from "@/features/live/play-sources.ts";
import { apiError } from "@/lib/api-error.ts";

/**
 * GET /api/v1/channels/<name>/play: where to play a channel, low-latency sources first, from the edge
 * the director picks (on one machine, the local media node), and its RTMP URL for ffplay or VLC.
 */
export async function GET(request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/play">) {
  const { name } = await params;
  const hostHeader = request.headers.get("host");
  const channel = await pollChannelStatus(name, mediaPublicUrlFor(hostHeader));
  if (!channel) return apiError("NOT_FOUND", `There is no channel named ${name}.`);
  const target = channel.liveState === "offline" ? null : await directViewer(channel.name, hostHeader);
  return Response.json(
    {
      channel: channel.name,
      liveState: channel.liveState,
      node: target?.nodeId ?? null,
      sources: target ? playSourcesFor(channel.name, target.httpUrl) : [],
      rtmpUrl: target ? `${target.rtmpUrl}/live/${encodeURIComponent(channel.name)}` : null,
    },
    { headers: { "cache-control": "no-store" } },
  );
}
