import type { BroadcastStore } from "@relaycast/media";

/**
 * Live state without a database: admits one stream key for one channel and forgets everything it is
 * told, so the benchmark measures the media path alone.
 */
export function memoryBroadcastStore(admitted: {
  streamKey: string;
  channel: { id: string; name: string };
}): BroadcastStore {
  let broadcasts = 0;
  return {
    findChannelByStreamKey: async (streamKey) => (streamKey === admitted.streamKey ? admitted.channel : null),
    openBroadcast: async () => ({ id: `bench-broadcast-${++broadcasts}`, startedAt: new Date() }),
    setLiveState: async () => {},
    closeBroadcast: async () => {},
    closeOrphanedBroadcasts: async () => 0,
    renewLeases: async (broadcastIds) => broadcastIds,
    closeExpiredBroadcasts: async () => [],
  };
}
