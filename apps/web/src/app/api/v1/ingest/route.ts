import type { NextRequest } from "next/server";
import { directBroadcaster } from "@/features/cluster/director.ts";

/**
 * GET /api/v1/ingest: the RTMP server a broadcaster should publish to now (the least loaded origin of
 * the cluster, or the configured ingest), without any key: the key goes after it, `<rtmpUrl>/<key>`.
 */
export async function GET(request: NextRequest) {
  const { rtmpUrl, nodeId } = await directBroadcaster(request.headers.get("host"));
  return Response.json({ rtmpUrl, node: nodeId }, { headers: { "cache-control": "no-store" } });
}
