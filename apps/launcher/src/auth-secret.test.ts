import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateAuthSecret } from "./auth-secret.ts";

describe("loadOrCreateAuthSecret", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "relaycast-secret-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("creates a 256-bit secret readable only by its owner, and returns the same one afterwards", async () => {
    const first = await loadOrCreateAuthSecret(dataDir);
    expect(Buffer.from(first, "base64url")).toHaveLength(32);
    expect((await stat(join(dataDir, "auth-secret"))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateAuthSecret(dataDir)).toBe(first);
  });

  it("gives every install its own secret", async () => {
    const otherDir = await mkdtemp(join(tmpdir(), "relaycast-secret-"));
    try {
      expect(await loadOrCreateAuthSecret(otherDir)).not.toBe(await loadOrCreateAuthSecret(dataDir));
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
