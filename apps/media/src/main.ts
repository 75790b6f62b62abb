import { loadMediaConfig } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger } from "@relaycast/logger";
import { DEFAULT_FANOUT, MediaNode, dbBroadcastStore } from "@relaycast/media";

const config = loadMediaConfig(process.env);
const log = createLogger({ name: "media", level: config.logLevel });
const db = createDb(config.databaseUrl);
const node = new MediaNode({
  ...config,
  fanout: DEFAULT_FANOUT,
  store: dbBroadcastStore(db, config.nodeId),
  log,
});

try {
  await node.start();
} catch (error) {
  log.fatal({ err: error }, "media node could not start");
  await node.close().catch(() => {});
  await db.$disconnect();
  process.exit(1);
}

let isStopping = false;
async function stop(signal: NodeJS.Signals) {
  if (isStopping) return;
  isStopping = true;
  log.info({ signal }, "media node stopping");
  await node.close();
  await db.$disconnect();
  log.info("media node stopped");
  process.exit(0);
}
process.once("SIGTERM", (signal) => void stop(signal));
process.once("SIGINT", (signal) => void stop(signal));
