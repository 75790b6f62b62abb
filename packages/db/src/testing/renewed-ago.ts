import type { Db } from "../client.ts";

/** Moves a broadcast's last lease renewal `ms` into the past, as if its node had stopped renewing then. */
export async function renewedAgo(db: Db, broadcastId: string, ms: number): Promise<void> {
  await db.$executeRaw`
    UPDATE "Broadcast" SET "lastSeenAt" = now() - make_interval(secs => ${ms / 1000}) WHERE id = ${broadcastId}`;
}
