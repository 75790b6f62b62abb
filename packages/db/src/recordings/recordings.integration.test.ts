import { describe, expect, it } from "vitest";
import { closeBroadcast } from "../broadcasts/close-broadcast.ts";
import { openBroadcast } from "../broadcasts/open-broadcast.ts";
import { seedChannel } from "../testing/seed-channel.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { beginFinishingRecording, finishRecording, recordRecordingFailure } from "./finish-recording.ts";
import { getVideo, listChannelVideos } from "./list-videos.ts";
import { openRecordingPart } from "./open-recording-part.ts";
import { recordingsToRecover } from "./recordings-to-recover.ts";

const testDb = useTestDb();

async function liveBroadcast(title = "") {
  const db = testDb.db();
  const { channel } = await seedChannel(db);
  if (title) await db.channel.update({ where: { id: channel.id }, data: { title } });
  const broadcast = await openBroadcast(db, { channelId: channel.id, originNode: "origin-a" });
  return { channel, broadcast };
}

describe("recordings", () => {
  it("makes one recording per broadcast with the title of the moment, a part per origin that carries it", async () => {
    const db = testDb.db();
    const { channel, broadcast } = await liveBroadcast("Speedrun, day 1");
    const first = await openRecordingPart(db, broadcast.id);
    expect(first.partDir).toBe("part-1");
    await db.channel.update({ where: { id: channel.id }, data: { title: "renamed later" } });
    // The channel moved to another origin: same recording, next part.
    const second = await openRecordingPart(db, broadcast.id);
    expect(second).toEqual({ recordingId: first.recordingId, partDir: "part-2" });
    const row = await db.recording.findUniqueOrThrow({ where: { id: first.recordingId } });
    expect(row).toMatchObject({ status: "recording", title: "Speedrun, day 1", files: ["part-1", "part-2"] });
  });

  it("lets exactly one finisher take a recording, and stores what it found", async () => {
    const db = testDb.db();
    const { broadcast } = await liveBroadcast();
    const { recordingId } = await openRecordingPart(db, broadcast.id);
    const takers = await Promise.all([1, 2, 3].map(() => beginFinishingRecording(db, recordingId)));
    expect(takers.filter((parts) => parts !== null)).toEqual([["part-1"]]);
    await finishRecording(db, recordingId, {
      status: "ready",
      durationMs: 20_033,
      sizeBytes: 5_000_000_000,
      thumbnailPath: "thumbnail.jpg",
    });
    const row = await db.recording.findUniqueOrThrow({ where: { id: recordingId } });
    expect(row).toMatchObject({ status: "ready", durationMs: 20_033, sizeBytes: 5_000_000_000n });
    expect(await beginFinishingRecording(db, recordingId)).toBeNull();
  });

  it("hands the recovery pass the recordings of broadcasts that ended without them, never a live one", async () => {
    const db = testDb.db();
    const crashed = await liveBroadcast();
    const live = await liveBroadcast();
    const crashedRecording = await openRecordingPart(db, crashed.broadcast.id);
    await openRecordingPart(db, live.broadcast.id);
    await closeBroadcast(db, { broadcastId: crashed.broadcast.id, peakViewers: 3, stats: {} });
    const toRecover = await recordingsToRecover(db);
    expect(toRecover).toContain(crashedRecording.recordingId);
    expect(toRecover).toHaveLength(1);
  });

  it("lists a channel's videos newest first, with the reason a recording stopped; a deleted one is gone", async () => {
    const db = testDb.db();
    const { channel, broadcast } = await liveBroadcast("first");
    const older = await openRecordingPart(db, broadcast.id);
    await closeBroadcast(db, { broadcastId: broadcast.id, peakViewers: 0, stats: {} });
    const newerBroadcast = await openBroadcast(db, { channelId: channel.id, originNode: "origin-a" });
    const newer = await openRecordingPart(db, newerBroadcast.id);
    await recordRecordingFailure(db, newer.recordingId, "Recording stopped: disk full.");

    const videos = await listChannelVideos(db, { channelName: channel.name });
    expect(videos.map((video) => video.id)).toEqual([newer.recordingId, older.recordingId]);
    expect(videos[0]).toMatchObject({ status: "recording", failureReason: "Recording stopped: disk full." });
    expect(videos[1]?.broadcast.channel.name).toBe(channel.name);

    await db.recording.update({ where: { id: older.recordingId }, data: { status: "deleted" } });
    expect(await getVideo(db, older.recordingId)).toBeNull();
    expect((await listChannelVideos(db, { channelName: channel.name })).map((video) => video.id)).toEqual([
      newer.recordingId,
    ]);
  });
});
