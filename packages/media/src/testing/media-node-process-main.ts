/**
 * A media node in a process of its own, for tests that must see whether the process survives: argv[2]
 * is the JSON map of stream keys to channels (an in-memory store), argv[3] the reconnect grace in ms.
 * Prints its ports as one JSON line, logs warnings to stderr, and stops on SIGTERM.
 */
import { createLogger } from "@relaycast/logger";
import { memoryBroadcastStore, startTestMediaNode } from "./test-media-node.ts";

const keys = JSON.parse(process.argv[2] ?? "{}") as Record<string, string>;
const media = await startTestMediaNode({
  store: memoryBroadcastStore(keys).store,
  reconnectGraceMs: Number(process.argv[3] ?? 3_000),
  log: createLogger({ name: "media", level: "warn", destination: process.stderr }),
});
process.stdout.write(`${JSON.stringify(media.ports)}\n`);
process.once("SIGTERM", () => void media.close().then(() => process.exit(0)));
