import type { NextRequest } from "next/server";
import { videoById } from "@/features/videos/video-queries.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";

/** GET /api/v1/videos/<id>: one recorded broadcast, with its HLS playback URL. */
export const GET = apiRoute(async (request: NextRequest, { params }: RouteContext<"/api/v1/videos/[id]">) => {
  const { id } = await params;
  const video = await videoById(id, request.headers.get("host"));
  if (!video) throw new AppError("NOT_FOUND", "There is no such video.");
  return Response.json(video, { headers: { "cache-control": "no-store" } });
});
