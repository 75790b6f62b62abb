import { fsyncSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

/**
 * PGlite's own start parameters, less `-F` (fsync off), and with the WAL flushed by fsync(): a
 * commit is on disk before it is acknowledged, so pulling the plug loses no committed write. In
 * PGlite's Emscripten build fdatasync is a no-op, and fsync reaches the disk only through the
 * file system's fsync operation, which `syncWritesToDisk` provides.
 */
export const DURABLE_START_PARAMS = [
  ...PGlite.defaultStartParams.filter((parameter) => parameter !== "-F"),
  ...["-c", "fsync=on", "-c", "wal_sync_method=fsync"],
];

type NodeFsStream = { nfd: number };
type EmscriptenNodeFs = { stream_ops: { fsync?: (stream: NodeFsStream) => number } };

/**
 * Makes Postgres's fsync() calls reach the disk: Emscripten's NODEFS (the file system PGlite uses in
 * Node) has no fsync operation, so without this the call returns without syncing anything.
 */
export function syncWritesToDisk(db: PGlite): void {
  const filesystems = db.Module.FS.filesystems as unknown as { NODEFS?: EmscriptenNodeFs };
  const nodefs = filesystems.NODEFS;
  if (!nodefs) throw new Error("PGlite has no NODEFS file system: cannot make its writes durable");
  nodefs.stream_ops.fsync = (stream) => {
    fsyncSync(stream.nfd);
    return 0;
  };
}
