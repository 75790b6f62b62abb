import { lookUpEachKey, type BroadcastStore } from "../live-state/broadcast-store.ts";

/**
 * Live state without a database for the benchmark and the fuzzer: admits `keys` (stream key →
 * channel name) and remembers nothing it is told, so that a long run measures the media path alone
 * and holds no memory here.
 */
export function forgetfulBroadcastStore(keys: Record<string, string>): BroadcastStore {
  let broadcasts = 0;
  const findChannelByStreamKey = async (streamKey: string) => {
    const name = Object.hasOwn(keys, streamKey) ? keys[streamKey] : undefined;
    return name ? { id: `channel-${name}`, name } : null;
  };
  return {
    findChannelByStreamKey,
    findChannelsByStreamKeys: (streamKeys) => lookUpEachKey(streamKeys, findChannelByStreamKey),
    openBroadcast: async () => ({ id: `broadcast-${++broadcasts}`, startedAt: new Date() }),
    setLiveState: async () => {},
    closeBroadcast: async () => {},
    closeOrphanedBroadcasts: async () => 0,
    renewLeases: async (broadcastIds) => broadcastIds,
    closeExpiredBroadcasts: async () => [],
  };
}
