export { MediaNode, DEFAULT_FANOUT, type MediaNodeOptions, type TMediaRole } from "./media-node.ts";
export { dbBroadcastStore } from "./live-state/db-broadcast-store.ts";
export type { BroadcastStore } from "./live-state/broadcast-store.ts";
export { LocalArchiveStorage, type ArchiveStorage } from "./archive/archive-storage.ts";
export { dbRecordingStore } from "./archive/db-recording-store.ts";
export type { RecordingStore } from "./archive/recording-store.ts";
