import type { NextRequest } from "next/server";
import { pollChannelStatus } from "@/features/live/api-queries.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { playSourcesFor } from "@/features/live/play-sources.ts";
import { apiError } from "@/lib/api-error.ts";

/**
 * GET /api/v1/channels/<name>/play: where to play a channel, low-latency sources first. On one machine
 * that is the local media node; the cluster's director will answer with the least-loaded edge.
 */
export async function GET(request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/play">) {
  const { name } = await params;
  const mediaPublicUrl = mediaPublicUrlFor(request.headers.get("host"));
  const channel = await pollChannelStatus(name, mediaPublicUrl);
  if (!channel) return apiError("NOT_FOUND", `There is no channel named ${name}.`);
  const sources = channel.liveState === "offline" ? [] : playSourcesFor(channel.name, mediaPublicUrl);
  return Response.json(
    { channel: channel.name, liveState: channel.liveState, sources },
    { headers: { "cache-control": "no-store" } },
  );
}
