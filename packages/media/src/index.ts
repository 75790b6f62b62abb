export { MediaNode, DEFAULT_FANOUT, type MediaNodeOptions, type TMediaRole } from "./media-node.ts";
export { dbBroadcastStore } from "./live-state/db-broadcast-store.ts";
export type { BroadcastStore } from "./live-state/broadcast-store.ts";
