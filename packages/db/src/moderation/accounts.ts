import type { Db } from "../client.ts";
import { recordModerationAction, type TModerationActor } from "./moderation-log.ts";

/**
 * Suspends an account at once: it cannot log in (its sessions go), its stream keys and IRC tokens
 * are revoked (ingest re-checks live keys every 500 ms, so a live stream ends), and the act is
 * logged. Null when there is no such account or it is suspended already.
 */
export async function suspendAccount(
  db: Db,
  { actor, userId, reason }: { actor: TModerationActor; userId: string; reason: string | null },
): Promise<{ username: string } | null> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, suspended: false },
      data: { suspended: true },
    });
    if (count === 0) return null;
    const now = new Date();
    const { username } = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { username: true },
    });
    await tx.streamKey.updateMany({
      where: { channel: { ownerId: userId }, revokedAt: null },
      data: { revokedAt: now },
    });
    await tx.ircToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    await tx.session.deleteMany({ where: { userId } });
    await recordModerationAction(tx, {
      action: "account_suspend",
      actor,
      target: { userId, name: username },
      reason,
    });
    return { username };
  });
}

/** Lifts a suspension (the account makes new stream keys and IRC tokens); false when it was not suspended. */
export async function unsuspendAccount(
  db: Db,
  { actor, userId }: { actor: TModerationActor; userId: string },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, suspended: true },
      data: { suspended: false },
    });
    if (count === 0) return false;
    const { username } = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { username: true },
    });
    await recordModerationAction(tx, {
      action: "account_unsuspend",
      actor,
      target: { userId, name: username },
    });
    return true;
  });
}

/**
 * An admin stops a channel's live stream: its stream key is revoked (the encoder is cut off within a
 * second and cannot come back with it; the owner takes a new key from the dashboard). False when
 * the channel has no key to revoke.
 */
export async function stopChannelStream(
  db: Db,
  { actor, channelName, reason }: { actor: TModerationActor; channelName: string; reason: string | null },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const channel = await tx.channel.findUnique({
      where: { name: channelName },
      select: { id: true, owner: { select: { id: true, username: true } } },
    });
    if (!channel) return false;
    const { count } = await tx.streamKey.updateMany({
      where: { channelId: channel.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) return false;
    await recordModerationAction(tx, {
      action: "stream_stop",
      actor,
      target: { userId: channel.owner.id, name: channel.owner.username },
      channelId: channel.id,
      reason,
    });
    return true;
  });
}

/** Accounts whose username or email starts with the query (all, newest first, without one), for /admin. */
export async function searchAccounts(db: Db, { query, take }: { query: string; take: number }) {
  const prefix = query.trim().toLowerCase();
  return db.user.findMany({
    where: prefix
      ? { OR: [{ username: { startsWith: prefix } }, { email: { startsWith: prefix, mode: "insensitive" } }] }
      : {},
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, username: true, email: true, role: true, suspended: true, createdAt: true },
  });
}
