import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type Logger } from "@relaycast/logger";
import { lookUpEachKey, type BroadcastStore } from "../live-state/broadcast-store.ts";
import { DEFAULT_FANOUT, MediaNode, type MediaNodeOptions } from "../media-node.ts";
import { trustedProxySet } from "@relaycast/config";

export const TEST_HOST = "127.0.0.1";

export type TestMediaNodeOptions = Partial<
  Omit<MediaNodeOptions, "store" | "log" | "hlsDir" | "thumbnailDir">
> & {
  store: BroadcastStore;
  log?: Logger;
};

export type TestMediaNode = {
  node: MediaNode;
  ports: { rtmp: number; http: number };
  /** The temporary folder HLS segments go to (removed by `close`). */
  hlsDir: string;
  /** The temporary folder thumbnails go to (removed by `close`). */
  thumbnailDir: string;
  /** `rtmp://127.0.0.1:<port>/<path>`, e.g. rtmpUrl("live/<key>"). */
  rtmpUrl(path: string): string;
  /** `http://127.0.0.1:<port><path>`, e.g. httpUrl("/live/<channel>.flv"). */
  httpUrl(path: string): string;
  wsUrl(path: string): string;
  close(): Promise<void>;
};

/**
 * A MediaNode on 127.0.0.1 with ephemeral RTMP and HTTP ports, HLS and thumbnails in temporary
 * folders, a silent log, and short timeouts suited to tests. `close()` is idempotent.
 */
export async function startTestMediaNode(options: TestMediaNodeOptions): Promise<TestMediaNode> {
  const hlsDir = await mkdtemp(join(tmpdir(), "relaycast-hls-"));
  const thumbnailDir = await mkdtemp(join(tmpdir(), "relaycast-thumbnails-"));
  const removeDirs = () =>
    Promise.all([hlsDir, thumbnailDir].map((dir) => rm(dir, { recursive: true, force: true })));
  const node = new MediaNode({
    role: "all",
    nodeId: `test-${process.pid}`,
    host: TEST_HOST,
    rtmpPort: 0,
    httpPort: 0,
    hlsSegmentSeconds: 1,
    ffmpegPath: "ffmpeg",
    ffmpegEnv: { PATH: "/usr/local/bin:/usr/bin:/bin" },
    corsOrigin: "*",
    reconnectGraceMs: 1_500,
    admissionTimeoutMs: 2_000,
    maxConnections: 20_000,
    maxConnectionsPerClient: 20_000,
    maxPendingConnections: 20_000,
    trustedProxies: trustedProxySet([]),
    fanout: DEFAULT_FANOUT,
    log: createLogger({ name: "test", level: "silent" }),
    ...options,
    hlsDir,
    thumbnailDir,
  });
  try {
    await node.start();
  } catch (error) {
    await node.close().catch(() => {});
    await removeDirs();
    throw error;
  }
  const ports = node.ports;
  let closing: Promise<void> | null = null;
  return {
    node,
    ports,
    hlsDir,
    thumbnailDir,
    rtmpUrl: (path) => `rtmp://${TEST_HOST}:${ports.rtmp}/${path.replace(/^\//, "")}`,
    httpUrl: (path) => `http://${TEST_HOST}:${ports.http}${path}`,
    wsUrl: (path) => `ws://${TEST_HOST}:${ports.http}${path}`,
    close: () =>
      (closing ??= (async () => {
        await node.close();
        await removeDirs();
      })()),
  };
}

/** A store whose every call never settles: a database that does not answer. */
export function hangingBroadcastStore(): BroadcastStore & { calls: string[] } {
  const calls: string[] = [];
  const never = <T>(name: string) => {
    calls.push(name);
    return new Promise<T>(() => {});
  };
  return {
    calls,
    findChannelByStreamKey: () => never("findChannelByStreamKey"),
    findChannelsByStreamKeys: () => never("findChannelsByStreamKeys"),
    openBroadcast: () => never("openBroadcast"),
    setLiveState: () => never("setLiveState"),
    closeBroadcast: () => never("closeBroadcast"),
    renewLeases: () => never("renewLeases"),
    closeExpiredBroadcasts: () => never("closeExpiredBroadcasts"),
    // Startup must finish for the node to listen at all.
    closeOrphanedBroadcasts: async () => 0,
  };
}

/**
 * An in-memory store for tests that are not about the database: `keys` maps stream keys to channel
 * names. Records what the node wrote.
 */
export function memoryBroadcastStore(keys: Record<string, string>) {
  const liveStates: { channelId: string; liveState: string }[] = [];
  const broadcasts = new Map<string, { channelId: string; startedAt: Date; endedAt: Date | null }>();
  let nextId = 1;
  const store: BroadcastStore = {
    findChannelByStreamKey: async (streamKey) => {
      const name = Object.hasOwn(keys, streamKey) ? keys[streamKey] : undefined;
      return name ? { id: `channel-${name}`, name } : null;
    },
    findChannelsByStreamKeys: (streamKeys) =>
      lookUpEachKey(streamKeys, (key) => store.findChannelByStreamKey(key)),
    openBroadcast: async (channelId) => {
      const id = `broadcast-${nextId++}`;
      const startedAt = new Date();
      broadcasts.set(id, { channelId, startedAt, endedAt: null });
      liveStates.push({ channelId, liveState: "live" });
      return { id, startedAt };
    },
    setLiveState: async (channelId, liveState) => {
      liveStates.push({ channelId, liveState });
    },
    closeBroadcast: async (broadcastId) => {
      const broadcast = broadcasts.get(broadcastId);
      if (broadcast) broadcast.endedAt = new Date();
    },
    closeOrphanedBroadcasts: async () => 0,
    renewLeases: async (broadcastIds) => broadcastIds.filter((id) => broadcasts.get(id)?.endedAt === null),
    closeExpiredBroadcasts: async () => [],
  };
  return { store, liveStates, broadcasts };
}

/** A stream key of the right shape (`live_` + 32 base64url characters), for in-memory stores. */
export function testStreamKey(): string {
  return `live_${randomBytes(24).toString("base64url")}`;
}
