import type { Db } from "../client.ts";
import { unfinishedRecordings } from "./finish-recording.ts";

/**
 * Recordings nobody else will finish: unfinished though their broadcast is over (its origin was
 * killed, and the broadcast closed by the node's restart or by another node once its lease ran out).
 * A recovery pass finishes them as `interrupted`.
 */
export async function recordingsToRecover(db: Db): Promise<string[]> {
  const rows = await db.recording.findMany({
    where: { ...unfinishedRecordings(), broadcast: { endedAt: { not: null } } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
