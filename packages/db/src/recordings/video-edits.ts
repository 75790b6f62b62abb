import type { Db } from "../client.ts";

/** Who edits a video: its channel's owner, or an admin (who may only delete). */
export type TVideoEditor = { userId: string; isAdmin: boolean };

/**
 * Deletes a video for its channel's owner or an admin: it is gone from the site at once, and the
 * media node that holds its files removes them. False when there is no such video or it is not theirs.
 */
export async function deleteVideo(
  db: Db,
  { videoId, editor }: { videoId: string; editor: TVideoEditor },
): Promise<boolean> {
  const { count } = await db.recording.updateMany({
    where: {
      id: videoId,
      status: { in: ["ready", "interrupted"] },
      ...(editor.isAdmin ? {} : { broadcast: { channel: { ownerId: editor.userId } } }),
    },
    data: { status: "deleted" },
  });
  return count === 1;
}

/** Renames a finished video of the owner's channel; false when there is none of theirs by that id. */
export async function renameVideo(
  db: Db,
  { videoId, ownerId, title }: { videoId: string; ownerId: string; title: string },
): Promise<boolean> {
  const { count } = await db.recording.updateMany({
    where: { id: videoId, status: { in: ["ready", "interrupted"] }, broadcast: { channel: { ownerId } } },
    data: { title },
  });
  return count === 1;
}
