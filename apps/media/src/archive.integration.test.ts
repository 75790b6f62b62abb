import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { setChannelRetention } from "@relaycast/db";
import { useTestDb } from "@relaycast/db/testing/vitest";
import {
  killAllTestProcesses,
  metricValue,
  openHttpFlv,
  publishTestStream,
  seedPublisher,
  waitFor,
} from "@relaycast/media/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  killMediaProcess,
  startMediaProcess,
  stopMediaProcesses,
  type MediaProcess,
} from "./testing/index.ts";

const run = promisify(execFile);
const testDb = useTestDb();

afterEach(async () => {
  await killAllTestProcesses();
  await stopMediaProcesses();
});

const startMedia = (env: Record<string, string> = {}) =>
  startMediaProcess({ databaseUrl: testDb.databaseUrl(), env: { MEDIA_RECONNECT_GRACE_MS: "3000", ...env } });

/** What ffprobe finds at a URL, as a plain HTTP client: the duration, and every video frame decoded and counted. */
async function probeVideo(url: string): Promise<{ durationSeconds: number; videoFrames: number }> {
  const { stdout } = await run(
    "ffprobe",
    ["-v", "error", "-count_frames", "-select_streams", "v:0"].concat([
      "-show_entries",
      "stream=nb_read_frames:format=duration",
      "-of",
      "json",
      url,
    ]),
    { timeout: 60_000 },
  );
  const probed = JSON.parse(stdout) as {
    streams: { nb_read_frames: string }[];
    format: { duration: string };
  };
  return {
    durationSeconds: Number(probed.format.duration),
    videoFrames: Number(probed.streams[0]!.nb_read_frames),
  };
}

async function videoFramesIn(media: MediaProcess): Promise<number> {
  const metrics = await (await fetch(media.httpUrl("/metrics"))).text();
  return metricValue(metrics, "relaycast_media_frames_in_total", { type: "video" }) ?? 0;
}

function recordingOf(channelId: string, status: string) {
  return testDb.db().recording.findFirst({ where: { broadcast: { channelId }, status: status as "ready" } });
}

describe("the archive", () => {
  it("records a 20 s broadcast whole: a VOD of 20 s with every video frame the origin received, and a thumbnail", async () => {
    const media = await startMedia();
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const publisher = publishTestStream(`rtmp://127.0.0.1:${media.rtmpPort}/live/${streamKey}`, {
      durationSeconds: 20,
    });
    const exit = await publisher.exited;
    expect(exit.code).toBe(0);
    const received = await videoFramesIn(media);
    expect(received).toBeGreaterThanOrEqual(590);

    const recording = await waitFor(() => recordingOf(channel.id, "ready"), {
      timeoutMs: 20_000,
      message: "the recording to become a video",
    });
    expect(recording.durationMs).toBeGreaterThan(19_500);
    expect(recording.durationMs).toBeLessThan(20_500);
    expect(Number(recording.sizeBytes)).toBeGreaterThan(100_000);
    expect(recording.files).toEqual(["part-1"]);

    const vod = await probeVideo(media.httpUrl(`/vod/${recording.id}/index.m3u8`));
    expect(vod.durationSeconds).toBeGreaterThan(19.5);
    expect(vod.durationSeconds).toBeLessThan(20.5);
    expect(vod.videoFrames).toBe(received);

    const thumbnail = await fetch(media.httpUrl(`/vod/${recording.id}/thumbnail.jpg`));
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("content-type")).toBe("image/jpeg");
    expect((await thumbnail.arrayBuffer()).byteLength).toBeGreaterThan(1_000);
  });

  it("on SIGTERM mid-broadcast, finishes the recording as a ready video and leaves nothing live", async () => {
    const media = await startMedia();
    const { channel, streamKey } = await seedPublisher(testDb.db());
    publishTestStream(`rtmp://127.0.0.1:${media.rtmpPort}/live/${streamKey}`);
    await waitFor(async () => (await videoFramesIn(media)) >= 150, {
      timeoutMs: 30_000,
      message: "5 s of broadcast",
    });
    const exited = new Promise((resolve) => media.child.once("exit", (code) => resolve(code)));
    media.child.kill("SIGTERM");
    expect(await exited).toBe(0);

    // Finished by the node itself, before it exited: no recovery pass, no other node.
    const recording = await recordingOf(channel.id, "ready");
    expect(recording?.durationMs).toBeGreaterThanOrEqual(4_000);
    const open = await testDb.db().broadcast.count({ where: { channelId: channel.id, endedAt: null } });
    expect(open).toBe(0);
  });

  it("keeps what was recorded when the origin is killed: after a restart the recording is interrupted and plays", async () => {
    const media = await startMedia();
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const publisher = publishTestStream(`rtmp://127.0.0.1:${media.rtmpPort}/live/${streamKey}`);
    // Ten seconds into the broadcast (300 frames at 30 fps), the process dies.
    await waitFor(async () => (await videoFramesIn(media)) >= 300, {
      timeoutMs: 30_000,
      message: "10 s of broadcast",
    });
    await killMediaProcess(media);
    await publisher.kill();

    const restarted = await startMediaProcess({ databaseUrl: testDb.databaseUrl(), reuse: media });
    const recording = await waitFor(() => recordingOf(channel.id, "interrupted"), {
      timeoutMs: 20_000,
      message: "the recovery pass to finish the recording",
    });
    expect(recording.durationMs).toBeGreaterThanOrEqual(7_000);
    const vod = await probeVideo(restarted.httpUrl(`/vod/${recording.id}/index.m3u8`));
    expect(vod.durationSeconds).toBeGreaterThanOrEqual(7);
    expect(vod.videoFrames).toBeGreaterThanOrEqual(7 * 30);
  });

  it("makes one recording of a broadcast whose publisher reconnected within the grace period", async () => {
    const media = await startMedia({ MEDIA_RECONNECT_GRACE_MS: "5000" });
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const url = `rtmp://127.0.0.1:${media.rtmpPort}/live/${streamKey}`;
    await publishTestStream(url, { durationSeconds: 4 }).exited;
    await publishTestStream(url, { durationSeconds: 4 }).exited;
    const received = await videoFramesIn(media);

    const recording = await waitFor(() => recordingOf(channel.id, "ready"), {
      timeoutMs: 20_000,
      message: "the recording to become a video",
    });
    expect(await testDb.db().recording.count({ where: { broadcast: { channelId: channel.id } } })).toBe(1);
    expect(recording.files).toEqual(["part-1"]);
    const vod = await probeVideo(media.httpUrl(`/vod/${recording.id}/index.m3u8`));
    expect(vod.videoFrames).toBe(received);
    expect(vod.durationSeconds).toBeGreaterThan(7.5);
  });

  it("deletes a video past its channel's retention, files and all, and a deleted video is gone from /vod/", async () => {
    const db = testDb.db();
    const media = await startMedia();
    const { user, channel, streamKey } = await seedPublisher(db);
    await publishTestStream(`rtmp://127.0.0.1:${media.rtmpPort}/live/${streamKey}`, { durationSeconds: 4 })
      .exited;
    const recording = await waitFor(() => recordingOf(channel.id, "ready"), {
      timeoutMs: 20_000,
      message: "the recording to become a video",
    });
    const playlist = media.httpUrl(`/vod/${recording.id}/index.m3u8`);
    expect((await fetch(playlist)).status).toBe(200);
    expect(await readdir(join(media.dataDir, "archive"))).toEqual([recording.id]);

    await setChannelRetention(db, { ownerId: user.id, retentionDays: 1 });
    await db.recording.update({
      where: { id: recording.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    // The archive's upkeep runs at start (and every minute).
    await killMediaProcess(media);
    const restarted = await startMediaProcess({ databaseUrl: testDb.databaseUrl(), reuse: media });
    await waitFor(
      async () => {
        const row = await db.recording.findUniqueOrThrow({ where: { id: recording.id } });
        return row.status === "deleted" && Array.isArray(row.files) && row.files.length === 0;
      },
      { timeoutMs: 20_000, message: "the expired video and its files to be removed" },
    );
    expect(await readdir(join(media.dataDir, "archive"))).toEqual([]);
    expect((await fetch(restarted.httpUrl(`/vod/${recording.id}/index.m3u8`))).status).toBe(404);
  });

  it("stops the recording loudly on a full disk, and viewers keep playing", async () => {
    const db = testDb.db();
    const media = await startMediaProcess({
      databaseUrl: testDb.databaseUrl(),
      // A 24 MiB disk whose last 8 MiB the recorder keeps free.
      env: { MEDIA_RECONNECT_GRACE_MS: "1000", MEDIA_ARCHIVE_MIN_FREE_MB: "8" },
      archiveDiskBytes: 24 * 1024 * 1024,
    });
    const { channel, streamKey } = await seedPublisher(db);
    // Noise does not compress: about 9 Mbit/s, so the archive's disk fills within seconds.
    const publisher = publishTestStream(`rtmp://127.0.0.1:${media.rtmpPort}/live/${streamKey}`, {
      size: "320x240",
      noise: true,
    });
    const viewer = await waitFor(
      async () => {
        const opened = await openHttpFlv(media.httpUrl(`/live/${channel.name}.flv`), { keepBodies: false });
        if (opened.status === 200) return opened;
        opened.close();
        return null;
      },
      { timeoutMs: 15_000, message: "a viewer playing" },
    );
    const failures = async () =>
      metricValue(
        await (await fetch(media.httpUrl("/metrics"))).text(),
        "relaycast_media_recording_failures_total",
        {
          reason: "disk-full",
        },
      ) ?? 0;
    await waitFor(async () => (await failures()) === 1, {
      timeoutMs: 30_000,
      message: "the recording to stop",
    });
    const recording = await db.recording.findFirstOrThrow({
      where: { broadcast: { channelId: channel.id } },
    });
    expect(recording.failureReason).toBe("Recording stopped: the archive's disk is full.");

    // The viewer goes on: another two seconds of video after the recording stopped.
    const framesAtFailure = viewer.videoTimestamps().length;
    await viewer.until(
      (each) => each.videoTimestamps().length >= framesAtFailure + 60,
      10_000,
      "video after the failure",
    );
    viewer.close();

    // What was written before the disk filled is a video, marked interrupted.
    await publisher.stop();
    const finished = await waitFor(() => recordingOf(channel.id, "interrupted"), {
      timeoutMs: 20_000,
      message: "the recording to be finished as interrupted",
    });
    expect(finished.durationMs).toBeGreaterThan(0);
    const vod = await probeVideo(media.httpUrl(`/vod/${finished.id}/index.m3u8`));
    expect(vod.videoFrames).toBeGreaterThan(0);
  });
});
