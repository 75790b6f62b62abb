import type { NextRequest } from "next/server";
import { pollChannelStatus, subscribeToChannel } from "@/features/live/api-queries.ts";
import { addressed, type TChannelState } from "@/features/live/channel-status.ts";
import { eventStreamResponse } from "@/features/live/event-stream.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";
import { getConfig } from "@/lib/config.ts";

/** GET /api/v1/channels/<name>/events: the channel's status as Server-Sent Events, whenever it changes. */
export const GET = apiRoute(
  async (request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/events">) => {
    const { name } = await params;
    const mediaPublicUrl = mediaPublicUrlFor(request.headers.get("host"));
    if (!(await pollChannelStatus(name, mediaPublicUrl)))
      throw new AppError("NOT_FOUND", `There is no channel named ${name}.`);
    return eventStreamResponse<TChannelState | null>(request, {
      subscribe: (subscriber) => subscribeToChannel(name, subscriber),
      format: (state) => state && addressed(state, mediaPublicUrl),
      lifetimeMs: getConfig().eventStreams.lifetimeMs,
    });
  },
);
