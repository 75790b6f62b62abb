import type { Db } from "../client.ts";
import {
  recordModerationAction,
  type TModerationActor,
  type TModerationTarget,
  type TTransaction,
} from "./moderation-log.ts";

/**
 * A user's restriction in a channel's chat: a ban (no end) or a timeout (until `expiresAt`). A row
 * with a null channel bans from every chat. One user has at most one restriction per channel.
 */
export type TChatRestriction = {
  kind: "ban" | "timeout";
  expiresAt: Date | null;
  reason: string | null;
  isGlobal: boolean;
};

type TRestrictionChange = {
  channelId: string;
  actor: TModerationActor;
  target: TModerationTarget;
  reason?: string | null;
};

/** Serializes changes to one user's restriction in one channel, across gateways. */
async function lockRestriction(tx: TTransaction, channelId: string, userId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`chat-restriction:${channelId}:${userId}`}))`;
}

function activeOnly(now: Date) {
  return { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/** Bans a user from a channel's chat (replacing a timeout); false when they are banned already. */
export async function banFromChat(db: Db, change: TRestrictionChange): Promise<boolean> {
  const { channelId, target } = change;
  return db.$transaction(async (tx) => {
    await lockRestriction(tx, channelId, target.userId);
    const banned = await tx.chatBan.count({ where: { channelId, userId: target.userId, expiresAt: null } });
    if (banned > 0) return false;
    await tx.chatBan.deleteMany({ where: { channelId, userId: target.userId } });
    await tx.chatBan.create({
      data: { channelId, userId: target.userId, createdById: change.actor.userId, reason: change.reason },
    });
    await recordModerationAction(tx, { action: "ban", ...change });
    return true;
  });
}

/**
 * Times a user out of a channel's chat until `expiresAt` (a new timeout replaces the last one).
 * Refused for a banned user: "banned".
 */
export async function timeOutFromChat(
  db: Db,
  change: TRestrictionChange & { expiresAt: Date },
): Promise<"timed-out" | "banned"> {
  const { channelId, target, expiresAt } = change;
  return db.$transaction(async (tx) => {
    await lockRestriction(tx, channelId, target.userId);
    const banned = await tx.chatBan.count({ where: { channelId, userId: target.userId, expiresAt: null } });
    if (banned > 0) return "banned";
    await tx.chatBan.deleteMany({ where: { channelId, userId: target.userId } });
    await tx.chatBan.create({
      data: {
        channelId,
        userId: target.userId,
        createdById: change.actor.userId,
        reason: change.reason,
        expiresAt,
      },
    });
    const seconds = Math.round((expiresAt.getTime() - Date.now()) / 1000);
    await recordModerationAction(tx, {
      action: "timeout",
      actor: change.actor,
      target,
      channelId,
      reason: change.reason,
      details: { seconds, until: expiresAt.toISOString() },
    });
    return "timed-out";
  });
}

/** Lifts a ban (`unban`) or a running timeout (`untimeout`); false when there was none. */
export async function liftChatRestriction(
  db: Db,
  change: TRestrictionChange & { kind: "ban" | "timeout" },
): Promise<boolean> {
  const { channelId, target, kind } = change;
  return db.$transaction(async (tx) => {
    await lockRestriction(tx, channelId, target.userId);
    const { count } = await tx.chatBan.deleteMany({
      where: {
        channelId,
        userId: target.userId,
        expiresAt: kind === "ban" ? null : { gt: new Date() },
      },
    });
    if (count === 0) return false;
    await recordModerationAction(tx, {
      action: kind === "ban" ? "unban" : "untimeout",
      actor: change.actor,
      target,
      channelId,
      reason: change.reason,
    });
    return true;
  });
}

/** The restriction a user has in a channel's chat now (a channel ban or timeout, or a global ban), or null. */
export async function activeChatRestriction(
  db: Db,
  { channelName, userId }: { channelName: string; userId: string },
): Promise<TChatRestriction | null> {
  const now = new Date();
  const rows = await db.chatBan.findMany({
    where: {
      userId,
      OR: [{ channelId: null }, { channel: { name: channelName } }],
      AND: activeOnly(now),
    },
    select: { channelId: true, expiresAt: true, reason: true },
  });
  // A ban outweighs a timeout; a global ban any channel's.
  const ranked = rows.sort(
    (a, b) =>
      Number(a.expiresAt !== null) - Number(b.expiresAt !== null) ||
      Number(b.channelId === null) - Number(a.channelId === null),
  );
  const strongest = ranked[0];
  if (!strongest) return null;
  return {
    kind: strongest.expiresAt ? "timeout" : "ban",
    expiresAt: strongest.expiresAt,
    reason: strongest.reason,
    isGlobal: strongest.channelId === null,
  };
}

/** A channel's banned and timed-out users, for its owner's dashboard. */
export async function listChatRestrictions(db: Db, { channelId }: { channelId: string }) {
  const rows = await db.chatBan.findMany({
    where: { channelId, ...activeOnly(new Date()) },
    orderBy: { createdAt: "desc" },
    select: {
      expiresAt: true,
      reason: true,
      createdAt: true,
      user: { select: { username: true } },
      createdBy: { select: { username: true } },
    },
  });
  return rows.map((row) => ({
    username: row.user.username,
    kind: row.expiresAt ? ("timeout" as const) : ("ban" as const),
    expiresAt: row.expiresAt,
    reason: row.reason,
    since: row.createdAt,
    by: row.createdBy?.username ?? null,
  }));
}

/**
 * Takes the timeouts that have run out, each for exactly one caller (several gateways sweep): their
 * rows go, and the caller lifts them on IRC.
 */
export async function takeExpiredTimeouts(db: Db, now = new Date()) {
  const expired = await db.chatBan.findMany({
    where: { channelId: { not: null }, expiresAt: { lte: now } },
    select: { id: true, channel: { select: { name: true } }, user: { select: { id: true, username: true } } },
    take: 500,
  });
  const taken: { channelName: string; userId: string; username: string }[] = [];
  for (const row of expired) {
    const { count } = await db.chatBan.deleteMany({ where: { id: row.id } });
    if (count === 1 && row.channel) {
      taken.push({ channelName: row.channel.name, userId: row.user.id, username: row.user.username });
    }
  }
  return taken;
}

/** Bans a user from every chat of the site (an admin's act); false when they are banned everywhere already. */
export async function banFromEveryChat(
  db: Db,
  { actor, target, reason }: { actor: TModerationActor; target: TModerationTarget; reason?: string | null },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockRestriction(tx, "site", target.userId);
    const banned = await tx.chatBan.count({ where: { channelId: null, userId: target.userId } });
    if (banned > 0) return false;
    await tx.chatBan.create({
      data: { channelId: null, userId: target.userId, createdById: actor.userId, reason },
    });
    await recordModerationAction(tx, { action: "ban", actor, target, reason, details: { global: true } });
    return true;
  });
}

/** Lifts a site-wide chat ban; false when there was none. */
export async function liftBanFromEveryChat(
  db: Db,
  { actor, target }: { actor: TModerationActor; target: TModerationTarget },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockRestriction(tx, "site", target.userId);
    const { count } = await tx.chatBan.deleteMany({ where: { channelId: null, userId: target.userId } });
    if (count === 0) return false;
    await recordModerationAction(tx, { action: "unban", actor, target, details: { global: true } });
    return true;
  });
}

/** The site-wide chat bans, for /admin. */
export async function listSiteChatBans(db: Db) {
  const rows = await db.chatBan.findMany({
    where: { channelId: null },
    orderBy: { createdAt: "desc" },
    select: {
      reason: true,
      createdAt: true,
      user: { select: { username: true } },
      createdBy: { select: { username: true } },
    },
  });
  return rows.map((row) => ({
    username: row.user.username,
    reason: row.reason,
    since: row.createdAt,
    by: row.createdBy?.username ?? null,
  }));
}
