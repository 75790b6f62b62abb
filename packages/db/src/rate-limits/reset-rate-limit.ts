import type { Db } from "../client.ts";

export async function resetRateLimit(db: Db, { key }: { key: string }) {
  await db.rateLimit.deleteMany({ where: { key } });
}
