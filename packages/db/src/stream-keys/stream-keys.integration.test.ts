import { describe, expect, it } from "vitest";
import { seedChannel } from "../testing/index.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { createStreamKey } from "./create-stream-key.ts";
import { findChannelByStreamKey } from "./find-channel-by-stream-key.ts";
import { findChannelsByStreamKeys } from "./find-channels-by-stream-keys.ts";
import { hashSecret } from "./hash-secret.ts";

const testDb = useTestDb();

describe("stream keys", () => {
  it("admits a new key to its channel and stores only its hash", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { streamKey } = await createStreamKey(testDb.db(), { channelId: channel.id });
    expect(streamKey).toMatch(/^live_[A-Za-z0-9_-]{32}$/);
    expect(await findChannelByStreamKey(testDb.db(), { streamKey })).toEqual({
      id: channel.id,
      name: channel.name,
    });
    const stored = await testDb.db().streamKey.findMany({
      where: { channelId: channel.id },
      omit: { keyHash: false },
    });
    expect(stored.map((row) => row.keyHash)).toEqual([hashSecret(streamKey)]);
  });

  it("regenerating revokes the previous key at once", async () => {
    const { channel } = await seedChannel(testDb.db());
    const first = await createStreamKey(testDb.db(), { channelId: channel.id });
    const second = await createStreamKey(testDb.db(), { channelId: channel.id });
    expect(await findChannelByStreamKey(testDb.db(), { streamKey: first.streamKey })).toBeNull();
    expect(await findChannelByStreamKey(testDb.db(), { streamKey: second.streamKey })).not.toBeNull();
    expect(await testDb.db().streamKey.count({ where: { channelId: channel.id, revokedAt: null } })).toBe(1);
  });

  it("refuses unknown, malformed and suspended owners' keys", async () => {
    const { user, channel } = await seedChannel(testDb.db());
    const { streamKey } = await createStreamKey(testDb.db(), { channelId: channel.id });
    expect(await findChannelByStreamKey(testDb.db(), { streamKey: `live_${"A".repeat(32)}` })).toBeNull();
    expect(await findChannelByStreamKey(testDb.db(), { streamKey: "../../etc/passwd" })).toBeNull();
    expect(await findChannelByStreamKey(testDb.db(), { streamKey: "x".repeat(10_000) })).toBeNull();
    await testDb.db().user.update({ where: { id: user.id }, data: { suspended: true } });
    expect(await findChannelByStreamKey(testDb.db(), { streamKey })).toBeNull();
  });

  it("re-checks many live keys in one lookup: revoked keys and suspended owners come back null", async () => {
    const db = testDb.db();
    const alice = await seedChannel(db);
    const bob = await seedChannel(db);
    const { streamKey: aliceKey } = await createStreamKey(db, { channelId: alice.channel.id });
    const { streamKey: bobKey } = await createStreamKey(db, { channelId: bob.channel.id });
    await createStreamKey(db, { channelId: alice.channel.id }); // a new key revokes the old one
    const found = await findChannelsByStreamKeys(db, { streamKeys: [aliceKey, bobKey, "not-a-key"] });
    expect(found).toEqual(
      new Map([
        [aliceKey, null],
        [bobKey, { id: bob.channel.id, name: bob.channel.name }],
        ["not-a-key", null],
      ]),
    );
    await db.user.update({ where: { id: bob.user.id }, data: { suspended: true } });
    expect((await findChannelsByStreamKeys(db, { streamKeys: [bobKey] })).get(bobKey)).toBeNull();
    expect(await findChannelsByStreamKeys(db, { streamKeys: [] })).toEqual(new Map());
  });
});
