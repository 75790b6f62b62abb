import type { NextRequest } from "next/server";
import { getChannelByName } from "@relaycast/db";
import { channelVideos } from "@/features/videos/video-queries.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";

/** GET /api/v1/channels/<name>/videos: the channel's recorded broadcasts, newest first. */
export const GET = apiRoute(
  async (request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/videos">) => {
    const { name } = await params;
    const channel = await getChannelByName(getDb(), { name });
    if (!channel) throw new AppError("NOT_FOUND", `There is no channel named ${name}.`);
    const videos = await channelVideos(channel.name, request.headers.get("host"));
    return Response.json({ videos }, { headers: { "cache-control": "no-store" } });
  },
);
