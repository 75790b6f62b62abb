import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const NODE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * This media node's id when MEDIA_NODE_ID is unset: made once (`media-` + 16 hex digits) into
 * `path`, read back on every later start, so a node that comes back (under another host name, in a
 * new container on the same volume) finds and closes the broadcasts it left open.
 */
export async function loadOrCreateNodeId(path: string): Promise<string> {
  const stored = await readNodeId(path);
  if (stored !== null) return stored;
  const nodeId = `media-${randomBytes(8).toString("hex")}`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${nodeId}\n`, { mode: 0o600, flag: "wx" });
    return nodeId;
  } catch (error) {
    // Another process sharing the folder made it first: its id is this node's.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readNodeId(path))!;
    throw error;
  }
}

async function readNodeId(path: string): Promise<string | null> {
  let nodeId: string;
  try {
    nodeId = (await readFile(path, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  if (!NODE_ID.test(nodeId)) {
    throw new Error(
      `${path} holds no valid media node id (A-Z, a-z, 0-9, _ . -; up to 64); fix or delete it`,
    );
  }
  return nodeId;
}
