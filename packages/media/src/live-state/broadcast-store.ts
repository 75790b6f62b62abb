import type { LiveState } from "@relaycast/db";

/** The database side of live state, as the broadcast manager needs it (tests pass plain objects). */
export type BroadcastStore = {
  findChannelByStreamKey(streamKey: string): Promise<{ id: string; name: string } | null>;
  openBroadcast(channelId: string): Promise<{ id: string; startedAt: Date }>;
  setLiveState(channelId: string, liveState: LiveState): Promise<void>;
  closeBroadcast(broadcastId: string, summary: { peakViewers: number; stats: object }): Promise<void>;
  closeOrphanedBroadcasts(): Promise<number>;
  /** Renews this node's lease on these open broadcasts; answers the ids still open (renewed). */
  renewLeases(broadcastIds: string[]): Promise<string[]>;
  /** Closes the broadcasts of any node not renewed for `leaseMs`; answers those it closed. */
  closeExpiredBroadcasts(leaseMs: number): Promise<{ id: string; originNode: string | null }[]>;
};
