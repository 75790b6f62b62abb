import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";

/**
 * The embedded database's password, beside its data directory as `<dataDir>.password` (mode 0600):
 * made on the first start, read back on every later one and by the database CLIs.
 */
export async function loadOrCreateDatabasePassword(dataDir: string): Promise<string> {
  const path = `${dataDir}.password`;
  const stored = (await readFile(path, "utf8").catch(() => "")).trim();
  if (stored.length >= 32) return stored;
  const password = randomBytes(32).toString("base64url");
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  return password;
}
