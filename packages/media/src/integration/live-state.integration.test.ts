import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterEach, describe, expect, it } from "vitest";
import { dbBroadcastStore } from "../live-state/db-broadcast-store.ts";
import {
  Cleanup,
  getStream,
  killAllTestProcesses,
  openFlv,
  publishTestStream,
  seedPublisher,
  startTestMediaNode,
  waitFor,
  type TestMediaNode,
} from "../testing/index.ts";

const testDb = useTestDb();
const cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.run();
  await killAllTestProcesses();
});

async function startNode(reconnectGraceMs: number) {
  const store = dbBroadcastStore(testDb.db(), "live-state-node");
  return cleanup.defer(await startTestMediaNode({ store, reconnectGraceMs }), (media) => media.close());
}

function publish(media: TestMediaNode, streamKey: string) {
  return cleanup.defer(publishTestStream(media.rtmpUrl(`live/${streamKey}`)), (publisher) =>
    publisher.kill(),
  );
}

async function waitLive(media: TestMediaNode, channel: string) {
  await waitFor(async () => (await getStream(media, channel))?.health.video.codec, {
    timeoutMs: 15_000,
    message: `${channel} to be live`,
  });
}

async function liveState(channelId: string) {
  return (await testDb.db().channel.findUniqueOrThrow({ where: { id: channelId } })).liveState;
}

describe("live state", () => {
  it("a dropped publisher makes the channel reconnecting, then offline after the grace period", async () => {
    const media = await startNode(1_500);
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const publisher = publish(media, streamKey);
    await waitLive(media, channel.name);
    expect(await liveState(channel.id)).toBe("live");
    const viewer = cleanup.defer(await openFlv(media.httpUrl(`/live/${channel.name}.flv`)), (v) => v.close());
    await viewer.until((v) => v.videoTimestamps().length > 5, 5_000, "video");

    await publisher.kill();
    const droppedAt = Date.now();
    await waitFor(async () => (await liveState(channel.id)) === "reconnecting", {
      timeoutMs: 1_400,
      intervalMs: 50,
      message: "the channel to be reconnecting in the database",
    });
    expect((await getStream(media, channel.name))?.state).toBe("reconnecting");
    // Viewers wait through the grace period for the publisher to come back.
    expect(viewer.isClosed).toBe(false);

    await waitFor(async () => (await liveState(channel.id)) === "offline", {
      timeoutMs: 5_000,
      intervalMs: 50,
      message: "the channel to be offline",
    });
    const offlineAfterMs = Date.now() - droppedAt;
    expect(offlineAfterMs).toBeGreaterThanOrEqual(1_400);
    expect(await getStream(media, channel.name)).toBeNull();
    const broadcasts = await testDb.db().broadcast.findMany({ where: { channelId: channel.id } });
    expect(broadcasts).toHaveLength(1);
    const [broadcast] = broadcasts;
    expect(broadcast!.endedAt).not.toBeNull();
    expect(broadcast!.endedAt!.getTime() - broadcast!.startedAt.getTime()).toBeGreaterThan(1_400);
    expect(broadcast!.peakViewers).toBeGreaterThanOrEqual(1);
    expect(broadcast!.stats).toMatchObject({ video: { codec: "H.264", width: 320, height: 240 } });
    // The stream ended, so the viewer was closed (cleanly: the HTTP response ended).
    await viewer.until((v) => v.isClosed, 2_000, "the viewer to be closed");
    const flv = await fetch(media.httpUrl(`/live/${channel.name}.flv`));
    expect(flv.status).toBe(404);
    await flv.text();
  });

  it("a publisher back within the grace period continues the same broadcast, seamlessly for viewers", async () => {
    const media = await startNode(5_000);
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const first = publish(media, streamKey);
    await waitLive(media, channel.name);
    const viewer = cleanup.defer(await openFlv(media.httpUrl(`/live/${channel.name}.flv`)), (v) => v.close());
    await viewer.until((v) => v.videoTimestamps().length >= 60, 10_000, "two seconds of video");

    await first.kill();
    await waitFor(async () => (await getStream(media, channel.name))?.state === "reconnecting", {
      timeoutMs: 2_000,
      intervalMs: 50,
      message: "the stream to be reconnecting",
    });
    await waitFor(async () => (await liveState(channel.id)) === "reconnecting", {
      timeoutMs: 2_000,
      intervalMs: 50,
      message: "the channel to be reconnecting in the database",
    });
    const tagsBeforeReconnect = viewer.tags.length;
    const lastTimestampBefore = Math.max(...viewer.tags.map((tag) => tag.timestamp));

    publish(media, streamKey);
    await viewer.until(
      (v) => v.tags.slice(tagsBeforeReconnect).filter((tag) => tag.kind === "keyframe").length >= 2,
      10_000,
      "video from the second publisher",
    );
    expect(viewer.isClosed).toBe(false);
    expect(viewer.parseError).toBeNull();
    expect((await getStream(media, channel.name))?.state).toBe("live");
    await waitFor(async () => (await liveState(channel.id)) === "live", {
      timeoutMs: 2_000,
      message: "the channel to be live again in the database",
    });

    // One broadcast, still open.
    const broadcasts = await testDb.db().broadcast.findMany({ where: { channelId: channel.id } });
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]!.endedAt).toBeNull();

    // The viewer's timeline never goes back, across the reconnect: every tag, headers included.
    const timestamps = viewer.tags.map((tag) => tag.timestamp);
    const decreases = timestamps
      .map((timestamp, index) => ({ index, from: timestamps[index - 1] ?? 0, to: timestamp }))
      .filter(({ from, to }) => to < from)
      .map(({ index, from, to }) => `#${index} ${viewer.tags[index]!.kind}: ${from} -> ${to}`);
    expect(decreases).toEqual([]);
    const after = viewer.tags.slice(tagsBeforeReconnect).filter((tag) => tag.kind === "keyframe");
    expect(after[0]!.timestamp).toBeGreaterThan(lastTimestampBefore);
    // Only one FLV file header: the new publisher's stream continues the same file.
    expect(viewer.tags.slice(tagsBeforeReconnect).some((tag) => tag.kind === "video-header")).toBe(true);
  });
});
