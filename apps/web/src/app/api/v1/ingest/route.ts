import type { NextRequest } from "next/server";
import { directBroadcaster } from "@/features/cluster/director.ts";
import { nodeSourceFor } from "@/features/cluster/media-nodes.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";
import { getConfig } from "@/lib/config.ts";

/**
 * GET /api/v1/ingest: the RTMP server a broadcaster should publish to now (the least loaded origin of
 * the cluster, or the configured ingest), without any key: the key goes after it, `<rtmpUrl>/<key>`.
 */
export const GET = apiRoute(async (request: NextRequest) => {
  const ingest = await directBroadcaster(
    nodeSourceFor(request.headers.get("host")),
    getConfig().rtmpIngestUrl,
  );
  if (!ingest)
    throw new AppError("UNAVAILABLE", "No media server takes broadcasts right now. Try again shortly.");
  return Response.json(ingest, { headers: { "cache-control": "no-store" } });
});
