import "server-only";
import { createDb, type Db } from "@relaycast/db";
import { getConfig } from "./config.ts";

// One client per process; kept on globalThis so that dev-mode reloads do not open new pools.
const holder = globalThis as unknown as { relaycastDb?: Db };

export function getDb(): Db {
  return (holder.relaycastDb ??= createDb(getConfig().databaseUrl));
}
