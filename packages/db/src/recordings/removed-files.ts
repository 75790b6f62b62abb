import type { Db } from "../client.ts";

/** Deleted videos whose files are still in the archive, and those of deleted accounts (rows gone). */
export async function recordingsWithFilesToRemove(db: Db): Promise<string[]> {
  const [deleted, ofDeletedAccounts] = await Promise.all([
    db.recording.findMany({
      where: { status: "deleted", NOT: { files: { equals: [] } } },
      select: { id: true },
    }),
    db.removedRecording.findMany({ select: { recordingId: true } }),
  ]);
  return [...deleted.map((row) => row.id), ...ofDeletedAccounts.map((row) => row.recordingId)];
}

/** The archive removed a deleted video's files: the row stays, empty, so the video stays gone. */
export async function markRecordingFilesRemoved(db: Db, recordingId: string): Promise<void> {
  await db.$transaction([
    db.recording.updateMany({
      where: { id: recordingId },
      data: { files: [], durationMs: null, sizeBytes: null, thumbnailPath: null },
    }),
    db.removedRecording.deleteMany({ where: { recordingId } }),
  ]);
}

/** Bytes a channel's videos take in the archive (finished ones: a recording's size is known at its end). */
export async function channelArchiveBytes(db: Db, { channelId }: { channelId: string }): Promise<number> {
  const { _sum } = await db.recording.aggregate({
    where: { broadcast: { channelId }, status: { not: "deleted" } },
    _sum: { sizeBytes: true },
  });
  return Number(_sum.sizeBytes ?? 0);
}
