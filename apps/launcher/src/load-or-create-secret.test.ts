import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateSecret } from "./load-or-create-secret.ts";

describe("loadOrCreateSecret", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "relaycast-secret-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("creates a 256-bit secret readable only by its owner, and returns the same one afterwards", async () => {
    const first = await loadOrCreateSecret(dataDir, "auth-secret");
    expect(Buffer.from(first, "base64url")).toHaveLength(32);
    expect((await stat(join(dataDir, "auth-secret"))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSecret(dataDir, "auth-secret")).toBe(first);
  });

  it("gives every install its own secret", async () => {
    const otherDir = await mkdtemp(join(tmpdir(), "relaycast-secret-"));
    try {
      expect(await loadOrCreateSecret(otherDir, "auth-secret")).not.toBe(
        await loadOrCreateSecret(dataDir, "auth-secret"),
      );
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it("keeps each named secret in its own file", async () => {
    const auth = await loadOrCreateSecret(dataDir, "auth-secret");
    const irc = await loadOrCreateSecret(dataDir, "irc-secret");
    expect(irc).not.toBe(auth);
    expect((await readFile(join(dataDir, "irc-secret"), "utf8")).trim()).toBe(irc);
    expect((await stat(join(dataDir, "irc-secret"))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSecret(dataDir, "irc-secret")).toBe(irc);
  });

  it("refuses a name that is not a plain file name, and a stored secret that is too short", async () => {
    await expect(loadOrCreateSecret(dataDir, "../auth-secret")).rejects.toThrow("plain file name");
    await writeFile(join(dataDir, "irc-secret"), "\n");
    await expect(loadOrCreateSecret(dataDir, "irc-secret")).rejects.toThrow("delete it");
  });
});
