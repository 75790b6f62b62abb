import type { NextRequest } from "next/server";
import { getViewer } from "@/features/auth/session.ts";
import { auditLogPage, requireChannelModerator } from "@/features/moderation/moderation-queries.ts";
import { ZAuditLogQuery } from "@/features/moderation/schemas.ts";
import { apiRoute, AppError } from "@/lib/app-error.ts";

/**
 * GET /api/v1/channels/<name>/moderation/log: the channel's audit log, newest first, for its owner,
 * moderators and admins; `?actor=<username>&action=<action>&before=<id>` filter and page it.
 */
export const GET = apiRoute(
  async (request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/moderation/log">) => {
    const { name } = await params;
    const viewer = await getViewer();
    if (!viewer) throw new AppError("UNAUTHORIZED", "Sign in first.");
    const { channelId } = await requireChannelModerator(viewer, name);
    const query = ZAuditLogQuery.parse(Object.fromEntries(request.nextUrl.searchParams));
    const page = await auditLogPage(query, channelId);
    return Response.json(page, { headers: { "cache-control": "no-store" } });
  },
);
