import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createIrcToken } from "../irc-tokens/create-irc-token.ts";
import { createStreamKey } from "../stream-keys/create-stream-key.ts";
import { seedChannel } from "../testing/index.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { enableIrcDatabaseRole } from "./enable-irc-database-role.ts";

const testDb = useTestDb();
const clients: pg.Client[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.end()));
});

async function connectAs(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

/** The login query of infra/inspircd.conf.template with its $-values filled in (escaped by m_pgsql there). */
function sqlauthQuery(username: string, tokenHash: string): string {
  return `WITH used AS (UPDATE "IrcToken" t SET "lastUsedAt" = now() FROM "User" u WHERE u.id = t."userId" AND u.username = lower('${username}') AND t."tokenHash" = '${tokenHash}' AND t."revokedAt" IS NULL AND NOT u.suspended RETURNING t.id) SELECT 1 FROM used`;
}

describe("the IRC database role", () => {
  it("can run the IRC login query and nothing else: no e-mail, password hash, session or stream key", async () => {
    const password = "irc-role-test-password-0123456789";
    const url = await enableIrcDatabaseRole({ databaseUrl: testDb.databaseUrl(), password });
    expect(url).not.toBeNull();
    const parsed = new URL(url!);
    expect(parsed.username).toMatch(/_irc$/);
    expect(decodeURIComponent(parsed.password)).toBe(password);

    const { user, channel } = await seedChannel(testDb.db());
    const { token, id } = await createIrcToken(testDb.db(), { userId: user.id });
    await createStreamKey(testDb.db(), { channelId: channel.id });
    await testDb.db().account.create({
      data: {
        id: `acc_${user.id}`,
        accountId: user.id,
        providerId: "credential",
        userId: user.id,
        password: "$2b$10$hash",
      },
    });
    const irc = await connectAs(url!);

    const tokenHash = createHash("sha256").update(token).digest("hex");
    expect((await irc.query(sqlauthQuery(user.username, tokenHash))).rowCount).toBe(1);
    expect((await irc.query(sqlauthQuery(user.username, "0".repeat(64)))).rowCount).toBe(0);
    const row = await testDb.db().ircToken.findUniqueOrThrow({ where: { id } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);

    const refused = [
      `SELECT email FROM "User"`,
      `SELECT * FROM "User"`,
      `SELECT password FROM "Account"`,
      `SELECT token FROM "Session"`,
      `SELECT "keyHash" FROM "StreamKey"`,
      `SELECT text FROM "ChatMessage"`,
      `SELECT label FROM "IrcToken"`,
      `UPDATE "IrcToken" SET "revokedAt" = NULL`,
      `UPDATE "User" SET suspended = false`,
      `INSERT INTO "IrcToken" (id, "userId", "tokenHash") VALUES ('x', '${user.id}', 'y')`,
      `DELETE FROM "IrcToken"`,
      `CREATE TABLE stolen (id int)`,
    ];
    for (const statement of refused) {
      await expect(irc.query(statement), statement).rejects.toThrow(/permission denied/);
    }
  });

  it("stores only a SCRAM verifier of the password, and replaces it when run again", async () => {
    const admin = await connectAs(testDb.databaseUrl());
    const verifierOf = async (name: string) =>
      (
        await admin.query<{ rolpassword: string; rolcanlogin: boolean }>(
          "SELECT rolpassword, rolcanlogin FROM pg_authid WHERE rolname = $1",
          [name],
        )
      ).rows[0];
    const first = await enableIrcDatabaseRole({
      databaseUrl: testDb.databaseUrl(),
      password: "first-password-0123456789abcdef",
    });
    const name = decodeURIComponent(new URL(first!).username);
    const before = await verifierOf(name);
    expect(before?.rolcanlogin).toBe(true);
    expect(before?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(before?.rolpassword).not.toContain("first-password");

    const second = await enableIrcDatabaseRole({
      databaseUrl: testDb.databaseUrl(),
      password: "second-password-0123456789abcdef",
    });
    expect(decodeURIComponent(new URL(second!).username)).toBe(name);
    expect((await verifierOf(name))?.rolpassword).not.toBe(before?.rolpassword);
  });
});
