import { createDb } from "../client.ts";
import { promoteToAdmin } from "../users/promote-to-admin.ts";
import { withDatabaseUrl } from "./with-database-url.ts";

/**
 * `npm run admin:create -- <username>`: makes an existing account a site admin. This is how a
 * public install (WEB_PUBLIC_URL not on loopback) gets its first admin; on a loopback-only one
 * (`npm start`'s default) the first account to sign up is one already.
 */
const username = process.argv[2];
if (!username) {
  process.stderr.write("usage: npm run admin:create -- <username>\n");
  process.exit(2);
}

const exitCode = await withDatabaseUrl(async (databaseUrl) => {
  const db = createDb(databaseUrl);
  try {
    const user = await promoteToAdmin(db, { username });
    if (!user) {
      process.stderr.write(`No account named "${username}". Sign up first, then run this again.\n`);
      return 1;
    }
    process.stdout.write(`${user.username} is now a site admin.\n`);
    return 0;
  } finally {
    await db.$disconnect();
  }
});
process.exit(exitCode);
