import type { NextRequest } from "next/server";
import { pollLiveDirectory } from "@/features/live/api-queries.ts";
import { eventStreamResponse } from "@/features/live/event-stream.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";

/** GET /api/v1/directory/events: the live directory as Server-Sent Events, whenever it changes. */
export async function GET(request: NextRequest) {
  const mediaPublicUrl = mediaPublicUrlFor(request.headers.get("host"));
  return eventStreamResponse(request, {
    snapshot: async () => ({ channels: await pollLiveDirectory(mediaPublicUrl) }),
    intervalMs: 3000,
  });
}
