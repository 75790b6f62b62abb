import "server-only";
import { createLogger, type Logger } from "@relaycast/logger";
import { getConfig } from "./config.ts";

let log: Logger | undefined;

export function getLog(): Logger {
  return (log ??= createLogger({ name: "web", level: getConfig().logLevel }));
}
