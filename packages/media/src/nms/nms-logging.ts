import type { Logger } from "@relaycast/logger";
import { nmsLogger } from "./nms-modules.ts";

const LEVELS = new Set(["trace", "debug", "info", "warn", "error"]);

/** NMS's own logger prints with console.log; send its lines to our pino logger instead. */
export function routeNmsLogging(log: Logger): void {
  const nmsLog = log.child({ component: "nms" });
  nmsLogger.level = "trace";
  nmsLogger.log = (message: string, level = "info") => {
    const pinoLevel = LEVELS.has(level) ? (level as "trace" | "debug" | "info" | "warn" | "error") : "info";
    // NMS's messages are informational for us: our sessions log what matters, so NMS stays at debug.
    nmsLog[pinoLevel === "error" || pinoLevel === "warn" ? "warn" : "debug"]({ nmsLevel: level }, message);
  };
}
