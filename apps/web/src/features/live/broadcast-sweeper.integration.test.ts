import { openBroadcast } from "@relaycast/db";
import { renewedAgo, seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { createLogger } from "@relaycast/logger";
import { describe, expect, it } from "vitest";
import { createBroadcastSweeper } from "./broadcast-sweeper.ts";

const testDb = useTestDb();
const log = createLogger({ name: "test", level: "silent" });

const lastRenewedAgo = (broadcastId: string, seconds: number) =>
  renewedAgo(testDb.db(), broadcastId, seconds * 1_000);

async function liveState(channelId: string) {
  return (await testDb.db().channel.findUniqueOrThrow({ where: { id: channelId } })).liveState;
}

describe("the web's broadcast sweeper", () => {
  it("takes offline a channel whose media node stopped renewing its broadcast, with no media node left", async () => {
    const db = testDb.db();
    const dead = await seedChannel(db);
    const alive = await seedChannel(db);
    const deadBroadcast = await openBroadcast(db, { channelId: dead.channel.id, originNode: "killed-node" });
    await openBroadcast(db, { channelId: alive.channel.id, originNode: "running-node" });
    await lastRenewedAgo(deadBroadcast.id, 7);
    expect(await liveState(dead.channel.id)).toBe("live");

    await createBroadcastSweeper(db, log).sweep();
    expect(await liveState(dead.channel.id)).toBe("offline");
    expect(await liveState(alive.channel.id)).toBe("live");
    expect(
      (await db.broadcast.findUniqueOrThrow({ where: { id: deadBroadcast.id } })).endedAt,
    ).not.toBeNull();
  });

  it("sweeps at most once per interval, however many readers ask", async () => {
    const db = testDb.db();
    const sweeper = createBroadcastSweeper(db, log, 60_000);
    await sweeper.sweep();
    const { channel } = await seedChannel(db);
    const broadcast = await openBroadcast(db, { channelId: channel.id, originNode: "killed-node" });
    await lastRenewedAgo(broadcast.id, 7);
    await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    expect(await liveState(channel.id)).toBe("live");
    await createBroadcastSweeper(db, log, 60_000).sweep();
    expect(await liveState(channel.id)).toBe("offline");
  });
});
