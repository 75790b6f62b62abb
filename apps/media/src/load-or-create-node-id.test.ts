import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateNodeId } from "./load-or-create-node-id.ts";

describe("loadOrCreateNodeId", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "relaycast-node-id-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("makes an id once and returns the same one on every later start", async () => {
    const path = join(dir, "media-node-id");
    const first = await loadOrCreateNodeId(path);
    expect(first).toMatch(/^media-[0-9a-f]{16}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateNodeId(path)).toBe(first);
  });

  it("gives two nodes starting at once on one folder the same id, and every folder its own", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateNodeId(join(dir, "a"))));
    expect(new Set(ids).size).toBe(1);
    expect(await loadOrCreateNodeId(join(dir, "b"))).not.toBe(ids[0]);
  });

  it("refuses a stored id that is not one", async () => {
    const path = join(dir, "media-node-id");
    await writeFile(path, "not an id!\n");
    await expect(loadOrCreateNodeId(path)).rejects.toThrow("no valid media node id");
  });
});
