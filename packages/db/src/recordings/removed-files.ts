import type { Db } from "../client.ts";

/** Deleted videos whose files are still in the archive. */
export async function recordingsWithFilesToRemove(db: Db): Promise<string[]> {
  const rows = await db.recording.findMany({
    where: { status: "deleted", NOT: { files: { equals: [] } } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** The archive removed a deleted video's files: the row stays, empty, so the video stays gone. */
export async function markRecordingFilesRemoved(db: Db, recordingId: string): Promise<void> {
  await db.recording.update({
    where: { id: recordingId },
    data: { files: [], durationMs: null, sizeBytes: null, thumbnailPath: null },
  });
}

/** Bytes a channel's videos take in the archive (finished ones: a recording's size is known at its end). */
export async function channelArchiveBytes(db: Db, { channelId }: { channelId: string }): Promise<number> {
  const { _sum } = await db.recording.aggregate({
    where: { broadcast: { channelId }, status: { not: "deleted" } },
    _sum: { sizeBytes: true },
  });
  return Number(_sum.sizeBytes ?? 0);
}
