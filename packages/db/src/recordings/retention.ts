import type { Db } from "../client.ts";

/**
 * A channel's retention: its videos are kept for `retentionDays` after their broadcast ended, or
 * forever (null, the default). A change applies to the videos it already has.
 */
export async function setChannelRetention(
  db: Db,
  { ownerId, retentionDays }: { ownerId: string; retentionDays: number | null },
): Promise<{ name: string; retentionDays: number | null }> {
  return db.$transaction(async (tx) => {
    const channel = await tx.channel.update({
      where: { ownerId },
      data: { retentionDays },
      select: { id: true, name: true, retentionDays: true },
    });
    await tx.$executeRaw`
      UPDATE "Recording" AS r
      SET "expiresAt" = CASE WHEN ${retentionDays}::int IS NULL THEN NULL
                             ELSE COALESCE(b."endedAt", r."updatedAt") + make_interval(days => ${retentionDays}::int) END
      FROM "Broadcast" AS b
      WHERE r."broadcastId" = b.id AND b."channelId" = ${channel.id} AND r.status IN ('ready', 'interrupted')`;
    return { name: channel.name, retentionDays: channel.retentionDays };
  });
}

/** When a video finished now expires under its channel's retention; null keeps it. */
export async function expiryOf(db: Db, recordingId: string): Promise<Date | null> {
  const { broadcast } = await db.recording.findUniqueOrThrow({
    where: { id: recordingId },
    select: { broadcast: { select: { channel: { select: { retentionDays: true } } } } },
  });
  const days = broadcast.channel.retentionDays;
  return days === null ? null : new Date(Date.now() + days * 86_400_000);
}

/** Deletes the videos past their channel's retention; answers how many. Their files go next (see removal). */
export async function expireRecordings(db: Db): Promise<number> {
  const { count } = await db.recording.updateMany({
    where: { expiresAt: { lt: new Date() }, status: { in: ["ready", "interrupted"] } },
    data: { status: "deleted" },
  });
  return count;
}
