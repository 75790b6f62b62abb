import "server-only";
import {
  getChannelRole,
  listChannelModerators,
  listChannelOperators,
  listOpenChatReports,
  listChatRestrictions,
  listModerationActions,
} from "@relaycast/db";
import { AppError } from "@/lib/app-error.ts";
import { getDb } from "@/lib/db.ts";
import type { Viewer } from "../auth/session.ts";
import { AUDIT_PAGE_SIZE, type TAuditLogQuery } from "./schemas.ts";

/**
 * The channel a viewer moderates, or an AppError: NOT_FOUND for no such channel, FORBIDDEN for
 * someone who is not its owner, one of its moderators or an admin.
 */
export async function requireChannelModerator(viewer: Viewer, channelName: string) {
  const standing = await getChannelRole(getDb(), { channelName, userId: viewer.id });
  if (!standing) throw new AppError("NOT_FOUND", `There is no channel named ${channelName}.`);
  if (standing.role === "viewer")
    throw new AppError("FORBIDDEN", "Only the channel's moderators can see this.");
  return standing;
}

/** The owner's view of their chat's moderation: moderators, restricted users, the last acts. */
export async function channelModeration(channel: { id: string; name: string }) {
  const db = getDb();
  const [moderators, restrictions, log, operators, reports] = await Promise.all([
    listChannelModerators(db, { channelId: channel.id }),
    listChatRestrictions(db, { channelId: channel.id }),
    listModerationActions(db, { channelId: channel.id, take: 20 }),
    listChannelOperators(db, { channelName: channel.name }),
    listOpenChatReports(db, { channelId: channel.id }),
  ]);
  return {
    moderators,
    restrictions,
    reports,
    recentActions: log.actions,
    slowSeconds: operators?.slowSeconds ?? 0,
    blockedTerms: operators?.blockedTerms ?? [],
  };
}

/** A page of the audit log as a query asks for it; one channel's, or the whole site's. */
export async function auditLogPage(query: TAuditLogQuery, channelId?: string) {
  return listModerationActions(getDb(), {
    channelId,
    actorName: query.actor,
    action: query.action,
    before: query.before,
    take: AUDIT_PAGE_SIZE,
  });
}
