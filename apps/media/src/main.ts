import { loadMediaConfig, trustedProxySet } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger, runService } from "@relaycast/logger";
import { DEFAULT_FANOUT, MediaNode, dbBroadcastStore } from "@relaycast/media";
import { loadOrCreateNodeId } from "./load-or-create-node-id.ts";

const config = loadMediaConfig(process.env);
const log = createLogger({ name: "media", level: config.logLevel });
const nodeId = config.nodeId ?? (await loadOrCreateNodeId(config.nodeIdPath));
const db = createDb(config.databaseUrl);
const node = new MediaNode({
  ...config,
  trustedProxies: trustedProxySet(config.trustedProxies),
  nodeId,
  fanout: DEFAULT_FANOUT,
  store: dbBroadcastStore(db, nodeId),
  log,
});

await runService({
  name: "media node",
  log,
  start: () => node.start(),
  stop: async () => {
    await node.close();
    await db.$disconnect();
  },
});
