import type { NextRequest } from "next/server";
import { pollChannelStatus } from "@/features/live/api-queries.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";

/** GET /api/v1/channels/<name>: the channel as viewers see it (live state, title, viewers, uptime). */
export const GET = apiRoute(
  async (request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]">) => {
    const { name } = await params;
    const channel = await pollChannelStatus(name, mediaPublicUrlFor(request.headers.get("host")));
    if (!channel) throw new AppError("NOT_FOUND", `There is no channel named ${name}.`);
    return Response.json(channel, { headers: { "cache-control": "no-store" } });
  },
);
