import { describe, expect, it } from "vitest";
import { saveChatMessages } from "../chat-messages/save-chat-messages.ts";
import { listRecentChatMessages } from "../chat-messages/list-recent-chat-messages.ts";
import { seedChannel } from "../testing/seed-channel.ts";
import { useTestDb } from "../testing/use-test-db.ts";
import { getChannelRole } from "./channel-role.ts";
import { clearChatMessages, deleteChatMessage, recordChatKick } from "./chat-messages.ts";
import {
  activeChatRestriction,
  banFromChat,
  liftChatRestriction,
  takeExpiredTimeouts,
  timeOutFromChat,
} from "./chat-restrictions.ts";
import { listModerationActions } from "./moderation-log.ts";
import { createIrcToken } from "../irc-tokens/create-irc-token.ts";
import { createStreamKey } from "../stream-keys/create-stream-key.ts";
import { findChannelByStreamKey } from "../stream-keys/find-channel-by-stream-key.ts";
import { searchAccounts, stopChannelStream, suspendAccount, unsuspendAccount } from "./accounts.ts";
import { listOpenChatReports, reportChatMessage, resolveChatReport } from "./chat-reports.ts";
import { addChannelModerator, removeChannelModerator } from "./moderators.ts";

const testDb = useTestDb();

async function channelWithChatter() {
  const db = testDb.db();
  const owner = await seedChannel(db);
  const chatter = await seedChannel(db);
  const actor = { userId: owner.user.id, name: owner.user.username };
  const target = { userId: chatter.user.id, name: chatter.user.username };
  return { db, owner, chatter, actor, target, channelId: owner.channel.id, channelName: owner.channel.name };
}

describe("moderation data", () => {
  it("knows each user's role in a channel; a moderator of one channel is nobody in another", async () => {
    const { db, owner, chatter, actor, target, channelId, channelName } = await channelWithChatter();
    const roleIn = async (name: string, userId: string) =>
      (await getChannelRole(db, { channelName: name, userId }))?.role;
    expect(await roleIn(channelName, owner.user.id)).toBe("owner");
    expect(await roleIn(channelName, chatter.user.id)).toBe("viewer");
    expect(await addChannelModerator(db, { channelId, actor, target })).toBe(true);
    expect(await addChannelModerator(db, { channelId, actor, target })).toBe(false);
    expect(await roleIn(channelName, chatter.user.id)).toBe("moderator");
    expect(await roleIn(chatter.channel.name, owner.user.id)).toBe("viewer");
    await db.user.update({ where: { id: chatter.user.id }, data: { role: "admin" } });
    expect(await roleIn(channelName, chatter.user.id)).toBe("admin");
    expect(await removeChannelModerator(db, { channelId, actor, target })).toBe(true);
    expect(await getChannelRole(db, { channelName: "no_such_channel", userId: owner.user.id })).toBeNull();
  });

  it("bans and times out once, lifts once, and writes one audit row per change", async () => {
    const { db, actor, target, channelId, channelName } = await channelWithChatter();
    const userId = target.userId;
    const expiresAt = new Date(Date.now() + 60_000);
    expect(await timeOutFromChat(db, { channelId, actor, target, expiresAt, reason: "spam" })).toBe(
      "timed-out",
    );
    expect(await activeChatRestriction(db, { channelName, userId })).toMatchObject({
      kind: "timeout",
      reason: "spam",
    });
    // Two gateways reflecting the same IRC ban: one change.
    const bans = await Promise.all([
      banFromChat(db, { channelId, actor, target }),
      banFromChat(db, { channelId, actor, target }),
    ]);
    expect(bans.filter(Boolean)).toHaveLength(1);
    expect(await activeChatRestriction(db, { channelName, userId })).toMatchObject({
      kind: "ban",
      expiresAt: null,
    });
    expect(await timeOutFromChat(db, { channelId, actor, target, expiresAt })).toBe("banned");
    expect(await liftChatRestriction(db, { channelId, actor, target, kind: "timeout" })).toBe(false);
    expect(await liftChatRestriction(db, { channelId, actor, target, kind: "ban" })).toBe(true);
    expect(await liftChatRestriction(db, { channelId, actor, target, kind: "ban" })).toBe(false);
    expect(await activeChatRestriction(db, { channelName, userId })).toBeNull();
    const { actions } = await listModerationActions(db, { channelId, take: 10 });
    expect(actions.map((row) => row.action)).toEqual(["unban", "ban", "timeout"]);
    expect(actions[2]).toMatchObject({
      actorName: actor.name,
      targetName: target.name,
      reason: "spam",
      channelName,
    });
  });

  it("a global ban restricts every channel", async () => {
    const { db, owner, target, channelName } = await channelWithChatter();
    await db.chatBan.create({ data: { channelId: null, userId: target.userId, createdById: owner.user.id } });
    expect(await activeChatRestriction(db, { channelName, userId: target.userId })).toMatchObject({
      kind: "ban",
      isGlobal: true,
    });
  });

  it("hands each expired timeout to exactly one sweeper", async () => {
    const { db, actor, target, channelId, channelName } = await channelWithChatter();
    await timeOutFromChat(db, { channelId, actor, target, expiresAt: new Date(Date.now() + 1_000) });
    expect((await takeExpiredTimeouts(db)).some((row) => row.userId === target.userId)).toBe(false);
    const later = new Date(Date.now() + 2_000);
    const [first, second] = await Promise.all([
      takeExpiredTimeouts(db, later),
      takeExpiredTimeouts(db, later),
    ]);
    const taken = [...first, ...second].filter((row) => row.userId === target.userId);
    expect(taken).toEqual([{ channelName, userId: target.userId, username: target.name }]);
  });

  it("deletes a line and clears the chat from stored history, and logs both", async () => {
    const { db, actor, target, channelId, channelName } = await channelWithChatter();
    const line = (msgid: string, text: string) => ({
      msgid,
      channelName,
      nick: target.name,
      username: target.name,
      text,
      isAction: false,
      replyTo: null,
      sentAt: new Date(Date.now() - 1_000),
    });
    await saveChatMessages(db, [line(`${channelId}~1`, "buy followers"), line(`${channelId}~2`, "hello")]);
    await deleteChatMessage(db, { channelId, msgid: `${channelId}~1`, text: "buy followers", actor, target });
    expect((await listRecentChatMessages(db, { channelName, take: 10 })).map((row) => row.text)).toEqual([
      "hello",
    ]);
    expect(await clearChatMessages(db, { channelId, actor })).toBe(1);
    expect(await listRecentChatMessages(db, { channelName, take: 10 })).toEqual([]);
    const log = await listModerationActions(db, { channelId, take: 1 });
    expect(log.actions[0]).toMatchObject({ action: "chat_clear", details: { lines: 1 } });
    const page2 = await listModerationActions(db, { channelId, take: 1, before: log.nextBefore! });
    expect(page2.actions[0]).toMatchObject({ action: "message_delete", details: { text: "buy followers" } });
    expect(page2.nextBefore).toBeNull();
    expect(
      (await listModerationActions(db, { channelId, action: "message_delete", take: 5 })).actions,
    ).toHaveLength(1);
    expect(
      (await listModerationActions(db, { channelId, actorName: "nobody", take: 5 })).actions,
    ).toHaveLength(0);
  });
});

describe("acts reflected from IRC", () => {
  it("records a KICK heard by several gateways once", async () => {
    const { db, actor, target, channelId } = await channelWithChatter();
    const kick = {
      channelId,
      actor,
      target,
      reason: "out",
      sourceEvent: `kick|${channelId}|${target.name}|1`,
    };
    const recorded = await Promise.all([recordChatKick(db, kick), recordChatKick(db, kick)]);
    expect(recorded.sort()).toEqual([false, true]);
    expect((await listModerationActions(db, { channelId, action: "kick", take: 5 })).actions).toHaveLength(1);
  });
});

describe("accounts and streams", () => {
  it("a suspension revokes keys and tokens, ends sessions and is logged; it is lifted once", async () => {
    const { db, actor, chatter } = await channelWithChatter();
    const userId = chatter.user.id;
    const { streamKey } = await createStreamKey(db, { channelId: chatter.channel.id });
    await createIrcToken(db, { userId });
    await db.session.create({
      data: { id: `s-${userId}`, token: `t-${userId}`, userId, expiresAt: new Date(Date.now() + 60_000) },
    });
    expect(await suspendAccount(db, { actor, userId, reason: "abuse" })).toEqual({
      username: chatter.user.username,
    });
    expect(await suspendAccount(db, { actor, userId, reason: "again" })).toBeNull();
    expect(await findChannelByStreamKey(db, { streamKey })).toBeNull();
    expect(await db.ircToken.count({ where: { userId, revokedAt: null } })).toBe(0);
    expect(await db.session.count({ where: { userId } })).toBe(0);
    expect(await unsuspendAccount(db, { actor, userId })).toBe(true);
    expect(await unsuspendAccount(db, { actor, userId })).toBe(false);
    const { actions } = await listModerationActions(db, { actorName: actor.name, take: 5 });
    expect(actions.map((row) => [row.action, row.targetName, row.reason])).toEqual([
      ["account_unsuspend", chatter.user.username, null],
      ["account_suspend", chatter.user.username, "abuse"],
    ]);
    expect(
      (await searchAccounts(db, { query: chatter.user.username.toUpperCase(), take: 5 })).map(
        (row) => row.id,
      ),
    ).toEqual([userId]);
  });

  it("stopping a stream revokes the channel's key, once", async () => {
    const { db, actor, owner } = await channelWithChatter();
    const { streamKey } = await createStreamKey(db, { channelId: owner.channel.id });
    expect(await stopChannelStream(db, { actor, channelName: owner.channel.name, reason: null })).toBe(true);
    expect(await findChannelByStreamKey(db, { streamKey })).toBeNull();
    expect(await stopChannelStream(db, { actor, channelName: owner.channel.name, reason: null })).toBe(false);
  });
});

describe("chat reports", () => {
  it("queues a report once per viewer and line; the owner resolves their channel's only", async () => {
    const { db, owner, chatter, channelId, channelName } = await channelWithChatter();
    const report = {
      channelName,
      msgid: `${channelId}~9`,
      messageNick: "spammer",
      messageText: "buy followers",
      reporter: { userId: chatter.user.id, name: chatter.user.username },
      reason: "spam" as const,
    };
    expect(await reportChatMessage(db, report)).toBe("reported");
    expect(await reportChatMessage(db, report)).toBe("already");
    expect(await reportChatMessage(db, { ...report, channelName: "no_such_channel" })).toBe("no-channel");
    const [open] = await listOpenChatReports(db, { channelId });
    expect(open).toMatchObject({
      messageText: "buy followers",
      reporterName: chatter.user.username,
      channelName,
    });
    expect((await listOpenChatReports(db, {})).some((row) => row.id === open!.id)).toBe(true);
    const elsewhere = owner.channel.id === channelId ? chatter.channel.id : owner.channel.id;
    expect(await resolveChatReport(db, { reportId: open!.id, resolverName: "x", channelId: elsewhere })).toBe(
      false,
    );
    expect(
      await resolveChatReport(db, { reportId: open!.id, resolverName: owner.user.username, channelId }),
    ).toBe(true);
    expect(await listOpenChatReports(db, { channelId })).toEqual([]);
  });
});
