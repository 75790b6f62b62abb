import type { NextRequest } from "next/server";
import { subscribeToDirectory } from "@/features/live/api-queries.ts";
import { addressed } from "@/features/live/channel-status.ts";
import { eventStreamResponse } from "@/features/live/event-stream.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { getConfig } from "@/lib/config.ts";

/** GET /api/v1/directory/events: the live directory as Server-Sent Events, whenever it changes. */
export async function GET(request: NextRequest) {
  const mediaPublicUrl = mediaPublicUrlFor(request.headers.get("host"));
  return eventStreamResponse(request, {
    subscribe: subscribeToDirectory,
    format: (states) => ({ channels: states.map((state) => addressed(state, mediaPublicUrl)) }),
    lifetimeMs: getConfig().eventStreams.lifetimeMs,
  });
}
