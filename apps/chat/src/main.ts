import { startChatGateway } from "@relaycast/chat";
import { loadChatConfig } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger, runService } from "@relaycast/logger";

const config = loadChatConfig(process.env);
const log = createLogger({ name: "chat", level: config.logLevel });
const db = createDb(config.databaseUrl);
let gateway: Awaited<ReturnType<typeof startChatGateway>> | undefined;

await runService({
  name: "chat gateway",
  log,
  start: async () => {
    gateway = await startChatGateway({ config, db, log });
  },
  stop: async () => {
    await gateway?.close();
    await db.$disconnect();
  },
});
