import { loadMediaConfig, trustedProxySet } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger, Health, runService } from "@relaycast/logger";
import {
  DEFAULT_FANOUT,
  LocalArchiveStorage,
  MediaNode,
  dbBroadcastStore,
  dbRecordingStore,
} from "@relaycast/media";
import { createStreamRegistry } from "@relaycast/media/cluster";
import { loadOrCreateNodeId } from "./load-or-create-node-id.ts";

const config = loadMediaConfig(process.env);
const log = createLogger({ name: "media", level: config.logLevel });
const nodeId = config.nodeId ?? (await loadOrCreateNodeId(config.nodeIdPath));
const db = createDb(config.databaseUrl);
const cluster = config.cluster && {
  registry: createStreamRegistry({
    redisUrl: config.cluster.redisUrl,
    prefix: config.cluster.registryPrefix,
  }),
  secret: config.cluster.secret,
  relayPort: config.cluster.relayPort,
  relayAddress: config.cluster.relayAddress,
  upstreamIdleMs: config.cluster.upstreamIdleMs,
};
const health = new Health([
  { name: "database", check: () => db.$queryRaw`SELECT 1` },
  ...(cluster ? [{ name: "registry", check: () => cluster.registry.nodes() }] : []),
]);
const node = new MediaNode({
  ...config,
  trustedProxies: trustedProxySet(config.trustedProxies),
  nodeId,
  fanout: DEFAULT_FANOUT,
  store: dbBroadcastStore(db, nodeId),
  archive: {
    storage: new LocalArchiveStorage(config.archiveDir),
    store: dbRecordingStore(db),
    segmentSeconds: config.archiveSegmentSeconds,
    minFreeBytes: config.archiveMinFreeBytes,
  },
  cluster,
  health,
  log,
});

await runService({
  name: "media node",
  log,
  start: () => node.start(),
  stop: async () => {
    health.drain();
    await node.drain(config.drainTimeoutMs);
    await node.close();
    await cluster?.registry.close();
    await db.$disconnect();
  },
});
