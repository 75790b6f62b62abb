import type { NextRequest } from "next/server";
import { directViewer } from "@/features/cluster/director.ts";
import { nodeSourceFor } from "@/features/cluster/media-nodes.ts";
import { pollChannelStatus } from "@/features/live/api-queries.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";

/**
 * GET /api/v1/channels/<name>/play: where to play a channel, low-latency sources first, on the edge
 * the director picks (on one machine, the local media node), and its RTMP URL for ffplay or VLC.
 * `?avoid=<node>`: the node the player just lost, picked again only when no other serves viewers.
 */
export const GET = apiRoute(
  async (request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/play">) => {
    const { name } = await params;
    const hostHeader = request.headers.get("host");
    const channel = await pollChannelStatus(name, mediaPublicUrlFor(hostHeader));
    if (!channel) throw new AppError("NOT_FOUND", `There is no channel named ${name}.`);
    const avoid = request.nextUrl.searchParams.get("avoid");
    return Response.json(await directViewer(nodeSourceFor(hostHeader), channel, avoid), {
      headers: { "cache-control": "no-store" },
    });
  },
);
