import { startChatGateway } from "@relaycast/chat";
import { loadChatConfig } from "@relaycast/config";
import { createDb } from "@relaycast/db";
import { createLogger, runService } from "@relaycast/logger";

const config = loadChatConfig(process.env);
const log = createLogger({ name: "chat", level: config.logLevel });
const db = createDb(config.databaseUrl);
let gateway: Awaited<ReturnType<typeof startChatGateway>> | undefined;
// The gateway's own handlers catch their errors; a library promise nobody awaits (the Redis
// adapter's unsubscribe while Redis is away at stop) is logged, not allowed to end the process.
process.on("unhandledRejection", (error) => log.error({ err: error }, "unhandled promise rejection"));

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
