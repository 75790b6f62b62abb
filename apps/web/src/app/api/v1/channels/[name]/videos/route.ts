import type { NextRequest } from "next/server";
import { getChannelByName } from "@relaycast/db";
import { channelVideos } from "@/features/videos/video-queries.ts";
import { apiError } from "@/lib/api-error.ts";
import { getDb } from "@/lib/db.ts";

/** GET /api/v1/channels/<name>/videos: the channel's recorded broadcasts, newest first. */
export async function GET(request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/videos">) {
  const { name } = await params;
  const channel = await getChannelByName(getDb(), { name });
  if (!channel) return apiError("NOT_FOUND", `There is no channel named ${name}.`);
  const videos = await channelVideos(channel.name, request.headers.get("host"));
  return Response.json({ videos }, { headers: { "cache-control": "no-store" } });
}
