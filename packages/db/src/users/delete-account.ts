import type { Db } from "../client.ts";

/**
 * Deletes an account with everything that is its own: its channel (broadcasts, videos, chat),
 * stream keys, IRC tokens, sessions. The archive still removes its videos' files (their ids are
 * kept in RemovedRecording); the audit log keeps its acts, by name. Null when there is no such account.
 */
export async function deleteAccount(
  db: Db,
  { userId }: { userId: string },
): Promise<{ username: string } | null> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { username: true } });
    if (!user) return null;
    const recordings = await tx.recording.findMany({
      where: { broadcast: { channel: { ownerId: userId } }, NOT: { files: { equals: [] } } },
      select: { id: true },
    });
    await tx.removedRecording.createMany({
      data: recordings.map(({ id }) => ({ recordingId: id })),
      skipDuplicates: true,
    });
    await tx.user.delete({ where: { id: userId } });
    return user;
  });
}
