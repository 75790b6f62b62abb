import type { Db } from "../client.ts";
import { recordModerationAction, type TModerationActor, type TModerationTarget } from "./moderation-log.ts";

/** Appoints a channel moderator; false when they already are one. */
export async function addChannelModerator(
  db: Db,
  { channelId, actor, target }: { channelId: string; actor: TModerationActor; target: TModerationTarget },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.chatModerator.createMany({
      data: [{ channelId, userId: target.userId, grantedById: actor.userId }],
      skipDuplicates: true,
    });
    if (count === 0) return false;
    await recordModerationAction(tx, { action: "moderator_add", actor, target, channelId });
    return true;
  });
}

/** Removes a channel moderator; false when they were not one. */
export async function removeChannelModerator(
  db: Db,
  { channelId, actor, target }: { channelId: string; actor: TModerationActor; target: TModerationTarget },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.chatModerator.deleteMany({ where: { channelId, userId: target.userId } });
    if (count === 0) return false;
    await recordModerationAction(tx, { action: "moderator_remove", actor, target, channelId });
    return true;
  });
}

export async function listChannelModerators(db: Db, { channelId }: { channelId: string }) {
  const rows = await db.chatModerator.findMany({
    where: { channelId },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true, user: { select: { username: true } } },
  });
  return rows.map(({ user, createdAt }) => ({ username: user.username, since: createdAt }));
}
