import type { Db } from "../client.ts";

/**
 * The origin node renews its lease on the broadcasts it still holds, with the database's clock (so
 * nodes' clocks never matter). Returns the ids it renewed; an id missing from the answer was closed
 * meanwhile (its lease ran out and another node closed it), so the node no longer holds it.
 */
export async function renewBroadcastLeases(
  db: Db,
  { originNode, broadcastIds }: { originNode: string; broadcastIds: string[] },
): Promise<string[]> {
  if (broadcastIds.length === 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "Broadcast" SET "lastSeenAt" = now()
    WHERE id = ANY(${broadcastIds}::text[]) AND "originNode" = ${originNode} AND "endedAt" IS NULL
    RETURNING id`;
  return rows.map((row) => row.id);
}
