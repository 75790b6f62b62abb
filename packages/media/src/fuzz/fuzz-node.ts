import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@relaycast/logger";
import { DEFAULT_FANOUT, MediaNode } from "../media-node.ts";
import { forgetfulBroadcastStore } from "../testing/forgetful-broadcast-store.ts";
import { FUZZ_KEY_CHANNELS } from "./fuzz-keys.ts";
import { trustedProxySet } from "@relaycast/config";

/** Short enough that reconnect races happen within a session, long enough for a reconnect to land in it. */
export const FUZZ_RECONNECT_GRACE_MS = 150;

/**
 * The media node under fuzz: the real MediaNode (admission, live state, fanout, RTMP and HTTP servers)
 * with an in-memory store, served through handed-over in-memory connections instead of listeners.
 * No ffmpeg sidecars: they parse the same bytes in their own processes.
 */
export async function createFuzzNode(): Promise<MediaNode> {
  return new MediaNode({
    role: "all",
    nodeId: "fuzz",
    host: "127.0.0.1",
    rtmpPort: 0,
    httpPort: 0,
    hlsDir: await mkdtemp(join(tmpdir(), "relaycast-fuzz-")),
    hlsSegmentSeconds: 1,
    ffmpegPath: "ffmpeg",
    ffmpegEnv: {},
    corsOrigin: "*",
    reconnectGraceMs: FUZZ_RECONNECT_GRACE_MS,
    admissionTimeoutMs: 2_000,
    maxConnections: 1_000_000,
    maxConnectionsPerClient: 1_000_000,
    maxPendingConnections: 1_000_000,
    trustedProxies: trustedProxySet([]),
    fanout: DEFAULT_FANOUT,
    store: forgetfulBroadcastStore(FUZZ_KEY_CHANNELS),
    log: createLogger({ name: "fuzz", level: "silent" }),
  });
}
