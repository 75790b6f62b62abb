import type { LiveState } from "@relaycast/db";

/** The database side of live state, as the broadcast manager needs it (tests pass plain objects). */
export type BroadcastStore = {
  findChannelByStreamKey(streamKey: string): Promise<{ id: string; name: string } | null>;
  findChannelsByStreamKeys(streamKeys: string[]): Promise<Map<string, { id: string; name: string } | null>>;
  openBroadcast(channelId: string): Promise<{ id: string; startedAt: Date }>;
  setLiveState(channelId: string, liveState: LiveState): Promise<void>;
  closeBroadcast(broadcastId: string, summary: { peakViewers: number; stats: object }): Promise<void>;
  closeOrphanedBroadcasts(): Promise<number>;
  /** Renews this node's lease on these open broadcasts; answers the ids still open (renewed). */
  renewLeases(broadcastIds: string[]): Promise<string[]>;
  /** Closes the broadcasts of any node not renewed for `leaseMs`; answers those it closed. */
  closeExpiredBroadcasts(leaseMs: number): Promise<{ id: string; originNode: string | null }[]>;
};

/** findChannelsByStreamKeys made of one lookup per key, for stores kept in memory. */
export async function lookUpEachKey(
  streamKeys: string[],
  lookUp: (streamKey: string) => Promise<{ id: string; name: string } | null>,
) {
  return new Map(await Promise.all(streamKeys.map(async (key) => [key, await lookUp(key)] as const)));
}
