import { loadMediaConfig, trustedProxySet } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger, runService } from "@relaycast/logger";
import { DEFAULT_FANOUT, MediaNode, dbBroadcastStore } from "@relaycast/media";

const config = loadMediaConfig(process.env);
const log = createLogger({ name: "media", level: config.logLevel });
const db = createDb(config.databaseUrl);
const node = new MediaNode({
  ...config,
  trustedProxies: trustedProxySet(config.trustedProxies),
  fanout: DEFAULT_FANOUT,
  store: dbBroadcastStore(db, config.nodeId),
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
