import { describe, expect, it } from "vitest";
import { seedChannel } from "../testing/index.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { hashSecret } from "../stream-keys/hash-secret.ts";
import { createIrcToken } from "./create-irc-token.ts";
import { listIrcTokens } from "./list-irc-tokens.ts";
import { revokeIrcToken } from "./revoke-irc-token.ts";

const testDb = useTestDb();

describe("IRC tokens", () => {
  it("issues a token once, stores only its hash, and lists it without the hash", async () => {
    const { user } = await seedChannel(testDb.db());
    const issued = await createIrcToken(testDb.db(), { userId: user.id, label: "laptop irssi" });
    expect(issued.token).toMatch(/^irc_[A-Za-z0-9_-]{32}$/);

    const stored = await testDb
      .db()
      .ircToken.findMany({ where: { userId: user.id }, omit: { tokenHash: false } });
    expect(stored.map((row) => row.tokenHash)).toEqual([hashSecret(issued.token)]);

    const listed = await listIrcTokens(testDb.db(), { userId: user.id });
    expect(listed).toEqual([
      { id: issued.id, label: "laptop irssi", createdAt: issued.createdAt, lastUsedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(issued.token);
    expect(JSON.stringify(listed)).not.toContain(hashSecret(issued.token));
  });

  it("gives every token a different value and lists the newest first", async () => {
    const { user } = await seedChannel(testDb.db());
    const first = await createIrcToken(testDb.db(), { userId: user.id });
    const second = await createIrcToken(testDb.db(), { userId: user.id, label: "weechat" });
    expect(first.token).not.toBe(second.token);
    expect(first.label).toBeNull();
    const listed = await listIrcTokens(testDb.db(), { userId: user.id });
    expect(listed.map((token) => token.id)).toEqual([second.id, first.id]);
  });

  it("revokes only the owner's own tokens, once", async () => {
    const { user: owner } = await seedChannel(testDb.db());
    const { user: other } = await seedChannel(testDb.db());
    const issued = await createIrcToken(testDb.db(), { userId: owner.id });

    expect(await revokeIrcToken(testDb.db(), { userId: other.id, tokenId: issued.id })).toBe(false);
    expect(await listIrcTokens(testDb.db(), { userId: owner.id })).toHaveLength(1);

    expect(await revokeIrcToken(testDb.db(), { userId: owner.id, tokenId: issued.id })).toBe(true);
    expect(await revokeIrcToken(testDb.db(), { userId: owner.id, tokenId: issued.id })).toBe(false);
    expect(await listIrcTokens(testDb.db(), { userId: owner.id })).toEqual([]);
    const stored = await testDb.db().ircToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(stored.revokedAt).toBeInstanceOf(Date);
  });
});
