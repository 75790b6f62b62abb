import type { LiveState } from "@relaycast/db";

/** The database side of live state, as the broadcast manager needs it (tests pass plain objects). */
export type BroadcastStore = {
  findChannelByStreamKey(streamKey: string): Promise<{ id: string; name: string } | null>;
  openBroadcast(channelId: string): Promise<{ id: string; startedAt: Date }>;
  setLiveState(channelId: string, liveState: LiveState): Promise<void>;
  closeBroadcast(broadcastId: string, summary: { peakViewers: number; stats: object }): Promise<void>;
  closeOrphanedBroadcasts(): Promise<number>;
};
