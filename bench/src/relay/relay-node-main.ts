/**
 * Child-process entry: one media node of the relay benchmark's cluster. argv: its id, its role, the
 * Redis URL, the registry prefix, the cluster secret, its viewer capacity. An in-memory store admits
 * the benchmark's stream key. Prints `{"rtmp":…,"http":…,"relay":…}` once listening; logs (level
 * error) go to stderr. Stops on SIGTERM, or when the benchmark that spawned it goes away.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trustedProxySet } from "@relaycast/config";
import { createLogger } from "@relaycast/logger";
import { DEFAULT_FANOUT, MediaNode, type TMediaRole } from "@relaycast/media";
import { createStreamRegistry } from "@relaycast/media/cluster";
import { forgetfulBroadcastStore } from "@relaycast/media/testing";
import { BENCH_CHANNEL, BENCH_STREAM_KEY } from "../fanout/bench-channel.ts";

const [nodeId = "node", role = "all", redisUrl, prefix, secret = "", capacity = "2000"] =
  process.argv.slice(2);
const hlsDir = await mkdtemp(join(tmpdir(), "relaycast-bench-relay-"));
const registry = createStreamRegistry({ redisUrl, prefix });
const node = new MediaNode({
  role: role as TMediaRole,
  nodeId,
  host: "127.0.0.1",
  rtmpPort: 0,
  httpPort: 0,
  hlsDir,
  hlsSegmentSeconds: 1,
  // No ffmpeg sidecars: the benchmark measures the relay, not HLS packaging.
  ffmpegPath: "/nonexistent/ffmpeg",
  ffmpegEnv: { PATH: "/usr/bin:/bin" },
  corsOrigin: "*",
  reconnectGraceMs: 10_000,
  admissionTimeoutMs: 5_000,
  maxConnections: 100_000,
  maxConnectionsPerClient: 100_000,
  maxPendingConnections: 100_000,
  trustedProxies: trustedProxySet([]),
  fanout: DEFAULT_FANOUT,
  store: forgetfulBroadcastStore({ [BENCH_STREAM_KEY]: BENCH_CHANNEL.name }),
  cluster: { registry, secret, relayPort: 0, relayAddress: "127.0.0.1:0", upstreamIdleMs: 10_000 },
  capacity: { viewers: Number(capacity), mbps: 100_000 },
  log: createLogger({ name: `bench-${nodeId}`, level: "error", destination: process.stderr }),
});

await node.start();
process.stdout.write(JSON.stringify(node.ports) + "\n");

let isStopping = false;
async function stop(): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  await node.close().catch(() => {});
  await registry.close();
  await rm(hlsDir, { recursive: true, force: true });
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
process.once("disconnect", () => void stop());
