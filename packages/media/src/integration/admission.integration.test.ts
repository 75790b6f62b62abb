import { createDb, createStreamKey, type Db } from "@relaycast/db";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterEach, describe, expect, it } from "vitest";
import { dbBroadcastStore } from "../live-state/db-broadcast-store.ts";
import type { BroadcastStore } from "../live-state/broadcast-store.ts";
import {
  Cleanup,
  getMetrics,
  getStream,
  hangingBroadcastStore,
  killAllTestProcesses,
  metricValue,
  openFlv,
  probe,
  RawRtmpClient,
  publishTestStream,
  readFlv,
  seedPublisher,
  startTestMediaNode,
  waitFor,
  within,
  type TestMediaNode,
  type TestPublisher,
} from "../testing/index.ts";

const testDb = useTestDb();
const cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.run();
  await killAllTestProcesses();
});

async function startNode(store: BroadcastStore = dbBroadcastStore(testDb.db(), "admission-node")) {
  return cleanup.defer(await startTestMediaNode({ store }), (media) => media.close());
}

function publish(media: TestMediaNode, streamKey: string): TestPublisher {
  return cleanup.defer(publishTestStream(media.rtmpUrl(`live/${streamKey}`)), (publisher) =>
    publisher.kill(),
  );
}

async function waitLive(media: TestMediaNode, channel: string) {
  return waitFor(async () => (await getStream(media, channel))?.health.video.codec, {
    timeoutMs: 15_000,
    message: `${channel} to be live`,
  });
}

/** The encoder is refused: ffmpeg gives up with an error (the guard only catches a hang). */
async function expectRefused(publisher: TestPublisher) {
  const exit = await within(publisher.exited, 15_000, "the refused encoder's exit");
  expect(exit.code, exit.stderr).not.toBe(0);
  return exit;
}

/**
 * How long the node takes to refuse a publish, from the publish command to NetStream.Publish.BadName,
 * measured with a raw RTMP client: ffmpeg's own start-up is not part of it.
 */
async function refusalMs(media: TestMediaNode, streamKey: string): Promise<number> {
  const client = cleanup.defer(new RawRtmpClient(media.ports.rtmp), (each) => each.destroy());
  await client.handshake();
  await client.connectApp(media.ports.rtmp);
  const sentAt = performance.now();
  client.publish(streamKey);
  await client.waitFor("NetStream.Publish.BadName", 10_000);
  return performance.now() - sentAt;
}

/** Nothing plays under the channel's name, and the database never saw it go live. */
async function expectNothingLive(media: TestMediaNode, db: Db, channel: { id: string; name: string }) {
  expect(await getStream(media, channel.name)).toBeNull();
  const flv = await fetch(media.httpUrl(`/live/${channel.name}.flv`));
  expect(flv.status).toBe(404);
  await flv.text();
  const ws = await openFlv(media.wsUrl(`/live/${channel.name}.flv`));
  expect(ws.status).toBe(404);
  expect(await db.broadcast.count({ where: { channelId: channel.id } })).toBe(0);
  expect((await db.channel.findUniqueOrThrow({ where: { id: channel.id } })).liveState).toBe("offline");
}

describe("publish admission by stream key", () => {
  it("refuses a wrong key within two seconds; nothing plays under the channel", async () => {
    const media = await startNode();
    const { channel } = await seedPublisher(testDb.db());
    const wrongKeys = [`live_${"A".repeat(32)}`, "not-a-key", channel.name];
    for (const key of wrongKeys) expect(await refusalMs(media, key)).toBeLessThan(2_000);
    // An encoder is told why: ffmpeg prints the server's reason.
    const exit = await expectRefused(publish(media, wrongKeys[0]!));
    expect(exit.stderr).toContain("Invalid stream key");
    await expectNothingLive(media, testDb.db(), channel);
    const metrics = await getMetrics(media);
    expect(metricValue(metrics, "relaycast_media_publish_admissions_total", { result: "refused-key" })).toBe(
      wrongKeys.length + 1,
    );
    expect(
      metricValue(metrics, "relaycast_media_publish_admissions_total", { result: "admitted" }) ?? 0,
    ).toBe(0);
  });

  it("refuses a revoked key (a new key was generated)", async () => {
    const media = await startNode();
    const { channel, streamKey: oldKey } = await seedPublisher(testDb.db());
    const { streamKey: newKey } = await createStreamKey(testDb.db(), { channelId: channel.id });
    await expectRefused(publish(media, oldKey));
    await expectNothingLive(media, testDb.db(), channel);
    // The new key works.
    publish(media, newKey);
    await waitLive(media, channel.name);
  });

  it("refuses the key of a suspended owner", async () => {
    const media = await startNode();
    const { user, channel, streamKey } = await seedPublisher(testDb.db());
    await testDb.db().user.update({ where: { id: user.id }, data: { suspended: true } });
    await expectRefused(publish(media, streamKey));
    await expectNothingLive(media, testDb.db(), channel);
  });

  it("never serves the stream key as a play name, on any protocol", async () => {
    const media = await startNode();
    const { channel, streamKey } = await seedPublisher(testDb.db());
    publish(media, streamKey);
    await waitLive(media, channel.name);
    // The channel itself plays, so the refusals below are about the name, not an idle node.
    const ok = await readFlv(media.httpUrl(`/live/${channel.name}.flv`), { tags: 10 });
    expect(ok.status).toBe(200);
    expect(ok.tags.length).toBeGreaterThanOrEqual(10);

    const rtmp = await probe(media.rtmpUrl(`live/${streamKey}`), { timeoutMs: 10_000 });
    expect(rtmp.ok).toBe(false);
    const flv = await fetch(media.httpUrl(`/live/${streamKey}.flv`));
    expect(flv.status).toBe(404);
    expect(await flv.text()).not.toContain(streamKey);
    const ws = await openFlv(media.wsUrl(`/live/${streamKey}.flv`));
    expect(ws.status).toBe(404);
    expect(ws.tags).toHaveLength(0);
    for (const path of [`/hls/${streamKey}/index.m3u8`, `/api/v1/streams/${streamKey}`]) {
      const response = await fetch(media.httpUrl(path));
      expect(response.status, path).toBe(404);
      await response.text();
    }
  });

  it("refuses a second publisher on a live channel while the first keeps playing", async () => {
    const media = await startNode();
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const first = publish(media, streamKey);
    await waitLive(media, channel.name);
    const viewer = cleanup.defer(await openFlv(media.httpUrl(`/live/${channel.name}.flv`)), (v) => v.close());
    await viewer.until((v) => v.videoTimestamps().length > 10, 5_000, "the first publisher's video");

    expect(await refusalMs(media, streamKey)).toBeLessThan(2_000);

    // The first publisher still runs, and its viewer keeps getting fresh video.
    const framesBefore = viewer.videoTimestamps().length;
    await viewer.until((v) => v.videoTimestamps().length >= framesBefore + 30, 5_000, "more video");
    expect(first.isRunning).toBe(true);
    expect(viewer.isClosed).toBe(false);
    expect((await getStream(media, channel.name))?.state).toBe("live");
    expect(await testDb.db().broadcast.count({ where: { channelId: channel.id } })).toBe(1);
    const metrics = await getMetrics(media);
    expect(metricValue(metrics, "relaycast_media_publish_admissions_total", { result: "refused-live" })).toBe(
      1,
    );
  });

  it("fails closed when the database does not answer: the publisher is refused within ~2 s", async () => {
    const store = hangingBroadcastStore();
    const media = await startNode(store);
    const { channel, streamKey } = await seedPublisher(testDb.db());
    const refusedAfterMs = await refusalMs(media, streamKey);
    // It was the 2 s admission timeout that refused it, and it did not wait much longer.
    expect(refusedAfterMs).toBeGreaterThanOrEqual(1_900);
    expect(refusedAfterMs).toBeLessThan(3_000);
    expect(store.calls).toContain("findChannelByStreamKey");
    expect(await getStream(media, channel.name)).toBeNull();
    const metrics = await getMetrics(media);
    expect(metricValue(metrics, "relaycast_media_publish_admissions_total", { result: "unavailable" })).toBe(
      1,
    );
  });

  it("fails closed when the database is unreachable", async () => {
    const unreachable = createDb("postgresql://postgres@127.0.0.1:1/unreachable");
    cleanup.add(() => unreachable.$disconnect());
    const store: BroadcastStore = {
      ...dbBroadcastStore(unreachable, "admission-node"),
      closeOrphanedBroadcasts: async () => 0,
    };
    const media = await startNode(store);
    const { channel, streamKey } = await seedPublisher(testDb.db());
    expect(await refusalMs(media, streamKey)).toBeLessThan(3_000);
    expect(await getStream(media, channel.name)).toBeNull();
    const metrics = await getMetrics(media);
    expect(metricValue(metrics, "relaycast_media_publish_admissions_total", { result: "unavailable" })).toBe(
      1,
    );
  });

  it("disconnects a live publisher within a second of its key being regenerated, or its owner suspended", async () => {
    // A reconnect grace far longer than the test waits: a cut-off publisher's broadcast must not use it.
    const media = cleanup.defer(
      await startTestMediaNode({
        store: dbBroadcastStore(testDb.db(), "admission-node"),
        reconnectGraceMs: 30_000,
      }),
      (node) => node.close(),
    );
    for (const cutOff of [
      (channel: { id: string }) => createStreamKey(testDb.db(), { channelId: channel.id }),
      (channel: { ownerId: string }) =>
        testDb.db().user.update({ where: { id: channel.ownerId }, data: { suspended: true } }),
    ]) {
      const { channel, streamKey } = await seedPublisher(testDb.db());
      const publisher = publish(media, streamKey);
      await waitLive(media, channel.name);
      const cutOffAt = Date.now();
      await cutOff(channel);
      // Every live key is checked again every 500 ms.
      const exit = await within(publisher.exited, 8_000, "the disconnection of the cut-off publisher");
      expect(Date.now() - cutOffAt, exit.stderr).toBeLessThan(2_000);
      // Then the broadcast ends at once: no reconnect grace for a publisher whose key was cut off.
      await waitFor(async () => (await getStream(media, channel.name)) === null, {
        timeoutMs: 2_000,
        message: "the broadcast to end",
      });
      // And the key stays refused.
      await expectRefused(publish(media, streamKey));
    }
  });
});
