import type { NextRequest } from "next/server";
import { ZModerationCommand } from "@relaycast/chat/protocol";
import { getViewer } from "@/features/auth/session.ts";
import { moderateChannel } from "@/features/moderation/moderate-channel.ts";
import { apiRoute, AppError, parsedOrError } from "@/lib/app-error.ts";

/**
 * POST /api/v1/channels/<name>/moderation: a moderation act on the channel's chat, as the signed-in
 * user, e.g. `{ "type": "timeout", "username": "bob", "seconds": 600 }`. 403 for anyone who is not
 * its owner, one of its moderators or an admin (and for a moderator acting above their role).
 */
export const POST = apiRoute(
  async (request: NextRequest, { params }: RouteContext<"/api/v1/channels/[name]/moderation">) => {
    const { name } = await params;
    const viewer = await getViewer();
    if (!viewer) throw new AppError("UNAUTHORIZED", "Sign in to moderate.");
    const body: unknown = await request.json().catch(() => null);
    const command = parsedOrError(ZModerationCommand.safeParse(body), "Not a moderation command.");
    const text = await moderateChannel(viewer, name, command);
    return Response.json({ text }, { headers: { "cache-control": "no-store" } });
  },
);
