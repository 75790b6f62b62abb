import type { Db } from "../client.ts";
import { recordModerationAction } from "../moderation/moderation-log.ts";

/** Who edits a video: its channel's owner, or an admin (who may only delete). */
export type TVideoEditor = { userId: string; username: string; isAdmin: boolean };

/**
 * Deletes a video for its channel's owner or an admin: it is gone from the site at once, and the
 * media node that holds its files removes them. False when there is no such video or it is not theirs.
 */
export async function deleteVideo(
  db: Db,
  { videoId, editor }: { videoId: string; editor: TVideoEditor },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const video = await tx.recording.findFirst({
      where: { id: videoId, status: { in: ["ready", "interrupted"] } },
      select: { title: true, broadcast: { select: { channel: { select: { id: true, ownerId: true } } } } },
    });
    const { channel } = video?.broadcast ?? {};
    if (!video || !channel || (!editor.isAdmin && channel.ownerId !== editor.userId)) return false;
    const { count } = await tx.recording.updateMany({
      where: { id: videoId, status: { in: ["ready", "interrupted"] } },
      data: { status: "deleted" },
    });
    if (count !== 1) return false;
    // An admin removing someone's video is a moderation act; an owner tidying their own is not.
    if (channel.ownerId !== editor.userId) {
      await recordModerationAction(tx, {
        action: "recording_delete",
        actor: { userId: editor.userId, name: editor.username },
        channelId: channel.id,
        details: { videoId, title: video.title },
      });
    }
    return true;
  });
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
