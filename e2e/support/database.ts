import { createDb, type Db } from "@relaycast/db";

let db: Db | undefined;

/** The platform's database, for seeding and for checking what the UI wrote. */
export function testDb(): Db {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is set by the global setup");
  return (db ??= createDb(url));
}

export async function countAccounts() {
  const db = testDb();
  const [users, channels, accounts, keys] = await Promise.all([
    db.user.count(),
    db.channel.count(),
    db.account.count(),
    db.streamKey.count(),
  ]);
  return { users, channels, accounts, keys };
}
