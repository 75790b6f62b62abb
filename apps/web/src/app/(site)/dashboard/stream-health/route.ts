import { apiRoute, AppError } from "@/lib/app-error.ts";
import { getViewer } from "@/features/auth/session.ts";
import { getDashboardChannel } from "@/features/channels/queries.ts";
import { getStreamStatus } from "@/features/live/media-api.ts";
import type { TStreamHealthResponse } from "@/features/stream-health/schemas.ts";

/** The signed-in broadcaster's own stream health, polled by the dashboard. */
export const GET = apiRoute(async () => {
  const viewer = await getViewer();
  if (!viewer) throw new AppError("UNAUTHORIZED", "Log in first.");
  const channel = await getDashboardChannel({ ownerId: viewer.id });
  const status = channel ? ((await getStreamStatus({ channelName: channel.name }))?.status ?? null) : null;
  const body: TStreamHealthResponse = status ? { isLive: true, status } : { isLive: false };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
