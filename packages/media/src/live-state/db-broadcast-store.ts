import {
  closeBroadcast,
  closeExpiredBroadcasts,
  closeOrphanedBroadcasts,
  findChannelByStreamKey,
  findChannelsByStreamKeys,
  openBroadcast,
  renewBroadcastLeases,
  setChannelLiveState,
  type Db,
} from "@relaycast/db";
import type { BroadcastStore } from "./broadcast-store.ts";

export function dbBroadcastStore(db: Db, originNode: string): BroadcastStore {
  return {
    findChannelByStreamKey: (streamKey) => findChannelByStreamKey(db, { streamKey }),
    findChannelsByStreamKeys: (streamKeys) => findChannelsByStreamKeys(db, { streamKeys }),
    openBroadcast: (channelId) => openBroadcast(db, { channelId, originNode }),
    setLiveState: (channelId, liveState) => setChannelLiveState(db, { channelId, liveState }),
    closeBroadcast: (broadcastId, { peakViewers, stats }) =>
      closeBroadcast(db, { broadcastId, peakViewers, stats: JSON.parse(JSON.stringify(stats)) }),
    closeOrphanedBroadcasts: () => closeOrphanedBroadcasts(db, { originNode }),
    renewLeases: (broadcastIds) => renewBroadcastLeases(db, { originNode, broadcastIds }),
    closeExpiredBroadcasts: async (leaseMs) =>
      (await closeExpiredBroadcasts(db, { leaseMs })).expired.map(({ id, originNode }) => ({
        id,
        originNode,
      })),
  };
}
