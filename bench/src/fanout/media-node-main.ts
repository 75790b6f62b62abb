/**
 * Child-process entry: one media node (role "all") on free loopback ports, with an in-memory store
 * that admits the benchmark's stream key. Prints `{"rtmp":…,"http":…}` on stdout once listening;
 * logs (level warn) go to stderr. Stops on SIGTERM, or when the benchmark that spawned it goes away.
 * Over IPC: `"loop-delay"` answers with its event-loop delay since the last such question; `"gc"`
 * with its memory use after a full garbage collection (needs --expose-gc).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@relaycast/logger";
import { LoopDelayMonitor } from "../shared/loop-delay.ts";
import { DEFAULT_FANOUT, MediaNode } from "@relaycast/media";
import { forgetfulBroadcastStore } from "@relaycast/media/testing";
import { BENCH_CHANNEL, BENCH_STREAM_KEY } from "./bench-channel.ts";
import { trustedProxySet } from "@relaycast/config";

const hlsDir = await mkdtemp(join(tmpdir(), "relaycast-bench-hls-"));
const node = new MediaNode({
  role: "all",
  nodeId: "bench",
  host: "127.0.0.1",
  rtmpPort: 0,
  httpPort: 0,
  hlsDir,
  hlsSegmentSeconds: 1,
  ffmpegPath: "ffmpeg",
  ffmpegEnv: { PATH: "/usr/local/bin:/usr/bin:/bin" },
  corsOrigin: "*",
  reconnectGraceMs: 5_000,
  admissionTimeoutMs: 5_000,
  maxConnections: 100_000,
  // Every benchmark viewer comes from loopback.
  maxConnectionsPerClient: 100_000,
  maxPendingConnections: 100_000,
  trustedProxies: trustedProxySet([]),
  fanout: DEFAULT_FANOUT,
  store: forgetfulBroadcastStore({ [BENCH_STREAM_KEY]: BENCH_CHANNEL.name }),
  log: createLogger({ name: "bench-media", level: "warn", destination: process.stderr }),
});

await node.start();
process.stdout.write(JSON.stringify(node.ports) + "\n");

let isStopping = false;
async function stop(): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  await node.close().catch(() => {});
  await rm(hlsDir, { recursive: true, force: true });
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
process.once("disconnect", () => void stop());
const loopDelay = new LoopDelayMonitor();
process.on("message", (message: unknown) => {
  if (message === "loop-delay") {
    process.send?.(loopDelay.take());
  } else if (message === "gc") {
    globalThis.gc?.();
    process.send?.(process.memoryUsage());
  }
});
