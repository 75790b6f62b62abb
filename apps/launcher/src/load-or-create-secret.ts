import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const MIN_SECRET_LENGTH = 32;

/**
 * A secret of a one-machine install (`auth-secret`, `irc-secret`): made once, kept in the data
 * folder as `<dataDir>/<name>` (mode 0600), and read back on every later start.
 */
export async function loadOrCreateSecret(dataDir: string, name: string): Promise<string> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`A secret's name must be a plain file name: ${name}`);
  const path = join(dataDir, name);
  const stored = await readSecret(path);
  if (stored !== null) return stored;
  const secret = randomBytes(32).toString("base64url");
  await writeFile(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

async function readSecret(path: string): Promise<string | null> {
  let secret: string;
  try {
    secret = (await readFile(path, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `${path} holds no secret of at least ${MIN_SECRET_LENGTH} characters; delete it to have a new one made`,
    );
  }
  return secret;
}
