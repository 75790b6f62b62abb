import { describe, expect, it } from "vitest";
import { closeBroadcast } from "../broadcasts/close-broadcast.ts";
import { openBroadcast } from "../broadcasts/open-broadcast.ts";
import { seedChannel } from "../testing/seed-channel.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { beginFinishingRecording, finishRecording } from "./finish-recording.ts";
import { openRecordingPart } from "./open-recording-part.ts";
import {
  channelArchiveBytes,
  markRecordingFilesRemoved,
  recordingsWithFilesToRemove,
} from "./removed-files.ts";
import { expireRecordings, setChannelRetention } from "./retention.ts";
import { deleteVideo, renameVideo } from "./video-edits.ts";

const testDb = useTestDb();

/** A channel with one finished video of `sizeBytes`. */
async function channelWithVideo(sizeBytes = 1_000) {
  const db = testDb.db();
  const { user, channel } = await seedChannel(db);
  const broadcast = await openBroadcast(db, { channelId: channel.id, originNode: "origin-a" });
  const { recordingId } = await openRecordingPart(db, broadcast.id);
  await beginFinishingRecording(db, recordingId);
  await finishRecording(db, recordingId, {
    status: "ready",
    durationMs: 1_000,
    sizeBytes,
    thumbnailPath: null,
  });
  await closeBroadcast(db, { broadcastId: broadcast.id, peakViewers: 0, stats: {} });
  return { user, channel, recordingId };
}

const statusOf = async (id: string) =>
  (await testDb.db().recording.findUniqueOrThrow({ where: { id } })).status;

describe("retention and deletion", () => {
  it("keeps videos forever by default; a retention applies to existing videos, and expired ones are deleted", async () => {
    const db = testDb.db();
    const { user, recordingId } = await channelWithVideo();
    expect((await db.recording.findUniqueOrThrow({ where: { id: recordingId } })).expiresAt).toBeNull();

    await setChannelRetention(db, { ownerId: user.id, retentionDays: 7 });
    const { expiresAt } = await db.recording.findUniqueOrThrow({ where: { id: recordingId } });
    expect(expiresAt!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    await expireRecordings(db);
    expect(await statusOf(recordingId)).toBe("ready");

    // Past due: deleted by the next pass, and its files are listed for removal once.
    await db.recording.update({
      where: { id: recordingId },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    expect(await expireRecordings(db)).toBeGreaterThanOrEqual(1);
    expect(await statusOf(recordingId)).toBe("deleted");
    expect(await recordingsWithFilesToRemove(db)).toContain(recordingId);
    await markRecordingFilesRemoved(db, recordingId);
    expect(await recordingsWithFilesToRemove(db)).not.toContain(recordingId);

    await setChannelRetention(db, { ownerId: user.id, retentionDays: null });
  });

  it("a new video of a channel with a retention expires that many days after it finished", async () => {
    const db = testDb.db();
    const { user, channel } = await seedChannel(db);
    await setChannelRetention(db, { ownerId: user.id, retentionDays: 30 });
    const broadcast = await openBroadcast(db, { channelId: channel.id, originNode: "origin-a" });
    const { recordingId } = await openRecordingPart(db, broadcast.id);
    await beginFinishingRecording(db, recordingId);
    await finishRecording(db, recordingId, {
      status: "ready",
      durationMs: 1,
      sizeBytes: 1,
      thumbnailPath: null,
    });
    const { expiresAt } = await db.recording.findUniqueOrThrow({ where: { id: recordingId } });
    expect(Math.round((expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(30);
  });

  it("lets the owner rename and delete a video, an admin delete any, and nobody else either", async () => {
    const db = testDb.db();
    const { user: owner, recordingId } = await channelWithVideo();
    const { user: stranger } = await seedChannel(db);
    expect(await renameVideo(db, { videoId: recordingId, ownerId: stranger.id, title: "mine now" })).toBe(
      false,
    );
    expect(
      await deleteVideo(db, {
        videoId: recordingId,
        editor: { userId: stranger.id, username: stranger.username, isAdmin: false },
      }),
    ).toBe(false);
    expect(await renameVideo(db, { videoId: recordingId, ownerId: owner.id, title: "Best of day 1" })).toBe(
      true,
    );
    expect((await db.recording.findUniqueOrThrow({ where: { id: recordingId } })).title).toBe(
      "Best of day 1",
    );

    expect(
      await deleteVideo(db, {
        videoId: recordingId,
        editor: { userId: stranger.id, username: stranger.username, isAdmin: true },
      }),
    ).toBe(true);
    expect(await statusOf(recordingId)).toBe("deleted");
    // An admin's deletion is in the audit log; an owner's own is not.
    const logged = await db.moderationAction.findMany({
      where: { action: "recording_delete", actorId: stranger.id },
    });
    expect(logged).toEqual([
      expect.objectContaining({
        actorName: stranger.username,
        details: expect.objectContaining({ videoId: recordingId }),
      }),
    ]);
    const other = await channelWithVideo();
    expect(
      await deleteVideo(db, {
        videoId: other.recordingId,
        editor: { userId: other.user.id, username: other.user.username, isAdmin: false },
      }),
    ).toBe(true);
    expect(await db.moderationAction.count({ where: { actorId: other.user.id } })).toBe(0);
  });

  it("counts the bytes of a channel's videos, deleted ones not", async () => {
    const db = testDb.db();
    const { user, channel, recordingId } = await channelWithVideo(5_000_000_000);
    expect(await channelArchiveBytes(db, { channelId: channel.id })).toBe(5_000_000_000);
    await deleteVideo(db, {
      videoId: recordingId,
      editor: { userId: user.id, username: user.username, isAdmin: false },
    });
    expect(await channelArchiveBytes(db, { channelId: channel.id })).toBe(0);
  });
});
