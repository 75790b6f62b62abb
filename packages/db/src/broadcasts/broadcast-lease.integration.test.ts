import { describe, expect, it } from "vitest";
import { renewedAgo } from "../testing/renewed-ago.ts";
import { seedChannel } from "../testing/seed-channel.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { closeExpiredBroadcasts } from "./close-expired-broadcasts.ts";
import { openBroadcast } from "./open-broadcast.ts";
import { renewBroadcastLeases } from "./renew-broadcast-leases.ts";
import { setChannelLiveState } from "./set-channel-live-state.ts";

const testDb = useTestDb();
const LEASE_MS = 8_000;

const lastRenewedAgo = (broadcastId: string, ms: number) => renewedAgo(testDb.db(), broadcastId, ms);

async function channelState(channelId: string) {
  return (await testDb.db().channel.findUniqueOrThrow({ where: { id: channelId } })).liveState;
}

describe("broadcast leases", () => {
  it("closes only the broadcasts whose lease ran out, and takes their channels offline", async () => {
    const db = testDb.db();
    const dead = await seedChannel(db);
    const alive = await seedChannel(db);
    const deadBroadcast = await openBroadcast(db, { channelId: dead.channel.id, originNode: "node-a" });
    const aliveBroadcast = await openBroadcast(db, { channelId: alive.channel.id, originNode: "node-b" });
    await lastRenewedAgo(deadBroadcast.id, LEASE_MS + 1_000);
    await lastRenewedAgo(aliveBroadcast.id, LEASE_MS - 3_000);

    const { expired } = await closeExpiredBroadcasts(db, { leaseMs: LEASE_MS });
    expect(expired).toEqual([{ id: deadBroadcast.id, channelId: dead.channel.id, originNode: "node-a" }]);
    expect(await channelState(dead.channel.id)).toBe("offline");
    expect(await channelState(alive.channel.id)).toBe("live");
    const closed = await db.broadcast.findUniqueOrThrow({ where: { id: deadBroadcast.id } });
    expect(closed.endedAt).not.toBeNull();
    expect((await closeExpiredBroadcasts(db, { leaseMs: LEASE_MS })).expired).toEqual([]);
  });

  it("lets another origin take over a broadcast with a fresh lease, and opens a new one after it ran out", async () => {
    const db = testDb.db();
    const { channel } = await seedChannel(db);
    const first = await openBroadcast(db, { channelId: channel.id, originNode: "node-a" });
    expect(first.isTakenOver).toBe(false);
    // node-a died; the encoder reconnected to node-b within the lease.
    const continued = await openBroadcast(db, { channelId: channel.id, originNode: "node-b" });
    expect(continued).toEqual({ id: first.id, startedAt: first.startedAt, isTakenOver: true });
    expect(await renewBroadcastLeases(db, { originNode: "node-a", broadcastIds: [first.id] })).toEqual([]);
    expect(await renewBroadcastLeases(db, { originNode: "node-b", broadcastIds: [first.id] })).toEqual([
      first.id,
    ]);
    expect(await db.broadcast.count({ where: { channelId: channel.id } })).toBe(1);

    await lastRenewedAgo(first.id, 60_000);
    const fresh = await openBroadcast(db, { channelId: channel.id, originNode: "node-c" });
    expect(fresh.id).not.toBe(first.id);
    expect(fresh.isTakenOver).toBe(false);
  });

  it("renews only the node's own open broadcasts, and tells it which it lost", async () => {
    const db = testDb.db();
    const kept = await seedChannel(db);
    const lost = await seedChannel(db);
    const keptBroadcast = await openBroadcast(db, { channelId: kept.channel.id, originNode: "node-a" });
    const lostBroadcast = await openBroadcast(db, { channelId: lost.channel.id, originNode: "node-a" });
    await lastRenewedAgo(keptBroadcast.id, LEASE_MS + 1_000);
    await lastRenewedAgo(lostBroadcast.id, LEASE_MS + 1_000);
    await closeExpiredBroadcasts(db, { leaseMs: LEASE_MS });
    await db.broadcast.update({ where: { id: keptBroadcast.id }, data: { endedAt: null } });

    const ids = [keptBroadcast.id, lostBroadcast.id];
    expect(await renewBroadcastLeases(db, { originNode: "node-b", broadcastIds: ids })).toEqual([]);
    expect(await renewBroadcastLeases(db, { originNode: "node-a", broadcastIds: ids })).toEqual([
      keptBroadcast.id,
    ]);
    // Renewed just now: a sweep leaves it open.
    await closeExpiredBroadcasts(db, { leaseMs: LEASE_MS });
    expect((await db.broadcast.findUniqueOrThrow({ where: { id: keptBroadcast.id } })).endedAt).toBeNull();
  });

  it("takes offline a channel left live with no open broadcast", async () => {
    const db = testDb.db();
    const { channel } = await seedChannel(db);
    await setChannelLiveState(db, { channelId: channel.id, liveState: "reconnecting" });
    const { channelsOffline } = await closeExpiredBroadcasts(db, { leaseMs: LEASE_MS });
    expect(channelsOffline).toBeGreaterThanOrEqual(1);
    expect(await channelState(channel.id)).toBe("offline");
  });
});
