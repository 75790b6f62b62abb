import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import pg from "pg";

/** Iterations of the SCRAM-SHA-256 verifier (PostgreSQL's default). */
const SCRAM_ITERATIONS = 4096;

/**
 * Gives the restricted IRC login role (made by the `irc_role` migration, `<database>_irc`) LOGIN
 * and this password, and returns the postgres URL InspIRCd's sqlauth logs in with. Returns null
 * where the migration made no role (the migrating user may not create roles): the IRC server then
 * keeps the platform's URL. The password goes to the server only as a SCRAM-SHA-256 verifier, so
 * it never appears in a statement log.
 */
export async function enableIrcDatabaseRole({
  databaseUrl,
  password,
}: {
  databaseUrl: string;
  password: string;
}): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; isPresent: boolean }>(
      `SELECT role.name, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role.name) AS "isPresent"
         FROM (SELECT left(current_database(), 59) || '_irc' AS name) AS role`,
    );
    const role = rows[0];
    if (!role?.isPresent) return null;
    await client.query(
      `ALTER ROLE ${client.escapeIdentifier(role.name)} LOGIN PASSWORD ${client.escapeLiteral(scramVerifier(password))}`,
    );
    const url = new URL(databaseUrl);
    url.username = encodeURIComponent(role.name);
    url.password = encodeURIComponent(password);
    return url.toString();
  } finally {
    await client.end().catch(() => {});
  }
}

/** The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, RFC 7677). */
function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, SCRAM_ITERATIONS, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
