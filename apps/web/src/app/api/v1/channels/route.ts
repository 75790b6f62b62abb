import type { NextRequest } from "next/server";
import { listChannelPage, pollLiveDirectory } from "@/features/live/api-queries.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";

/** GET /api/v1/channels?live=true: live channels, most watched first. Without it: every channel, by name. */
export async function GET(request: NextRequest) {
  const { searchParams } = request.nextUrl;
  if (searchParams.get("live") === "true") {
    const channels = await pollLiveDirectory(mediaPublicUrlFor(request.headers.get("host")));
    return Response.json({ channels }, { headers: { "cache-control": "no-store" } });
  }
  const page = await listChannelPage({ after: searchParams.get("after") ?? undefined });
  return Response.json(page, { headers: { "cache-control": "no-store" } });
}
