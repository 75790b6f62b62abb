import type { Db } from "../client.ts";
import type { ModerationActionType } from "../generated/prisma/enums.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/** Who acted: a platform user (by id, with their name), or an IRC nick with no account. */
export type TModerationActor = { userId: string | null; name: string };
export type TModerationTarget = { userId: string; name: string };

/** The client a `db.$transaction` callback gets. */
export type TTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Writes one audit-log row, inside the transaction of the change it records. False when an act
 * reflected from IRC (`sourceEvent`) is recorded already.
 */
export async function recordModerationAction(
  tx: TTransaction,
  entry: {
    action: ModerationActionType;
    actor: TModerationActor | null;
    target?: TModerationTarget | null;
    channelId?: string | null;
    reason?: string | null;
    details?: Prisma.InputJsonValue;
    /** For an act reflected from IRC: its event's key, recorded once whichever gateway heard it. */
    sourceEvent?: string;
  },
): Promise<boolean> {
  const { count } = await tx.moderationAction.createMany({
    data: {
      action: entry.action,
      actorId: entry.actor?.userId ?? null,
      actorName: entry.actor?.name ?? null,
      targetUserId: entry.target?.userId ?? null,
      targetName: entry.target?.name ?? null,
      channelId: entry.channelId ?? null,
      reason: entry.reason ?? null,
      details: entry.details,
      sourceEvent: entry.sourceEvent,
    },
    skipDuplicates: true,
  });
  return count === 1;
}

export type TModerationLogFilter = {
  channelId?: string;
  /** The actor's username as recorded. */
  actorName?: string;
  action?: ModerationActionType;
  /** The id of the last row of the previous page. */
  before?: string;
  take: number;
};

/** The audit log, newest first, filtered and paginated by id (ids are time-ordered UUIDv7). */
export async function listModerationActions(db: Db, filter: TModerationLogFilter) {
  const rows = await db.moderationAction.findMany({
    where: {
      channelId: filter.channelId,
      actorName: filter.actorName,
      action: filter.action,
      id: filter.before ? { lt: filter.before } : undefined,
    },
    orderBy: { id: "desc" },
    take: filter.take + 1,
    select: {
      id: true,
      action: true,
      actorName: true,
      targetName: true,
      reason: true,
      details: true,
      createdAt: true,
      channel: { select: { name: true } },
    },
  });
  const page = rows.slice(0, filter.take);
  return {
    actions: page.map(({ channel, ...row }) => ({ ...row, channelName: channel?.name ?? null })),
    nextBefore: rows.length > filter.take ? page.at(-1)!.id : null,
  };
}
