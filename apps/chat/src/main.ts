import { startChatGateway } from "@relaycast/chat";
import { loadChatConfig } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger } from "@relaycast/logger";

const config = loadChatConfig(process.env);
const log = createLogger({ name: "chat", level: config.logLevel });
const db = createDb(config.databaseUrl);

let gateway: Awaited<ReturnType<typeof startChatGateway>>;
try {
  gateway = await startChatGateway({ config, db, log });
} catch (error) {
  log.fatal({ err: error }, "chat gateway could not start");
  await db.$disconnect();
  process.exit(1);
}

let isStopping = false;
async function stop(signal: NodeJS.Signals) {
  if (isStopping) return;
  isStopping = true;
  log.info({ signal }, "chat gateway stopping");
  await gateway.close();
  await db.$disconnect();
  log.info("chat gateway stopped");
  process.exit(0);
}
process.once("SIGTERM", (signal) => void stop(signal));
process.once("SIGINT", (signal) => void stop(signal));
