import { randomBytes } from "node:crypto";
import {
  createIrcToken,
  listModerationActions,
  listOpenChatReports,
  listRecentChatMessages,
} from "@relaycast/db";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { internalApiToken, signChatToken } from "../chat-token.ts";
import {
  ChatTestClient,
  IrcTestClient,
  startTestGateway,
  startTestIrcd,
  TEST_TOKEN_SECRET,
  type TestIrcd,
} from "../testing/index.ts";

/**
 * Moderation with a real InspIRCd and gateway: what a moderator does from the web holds on IRC,
 * what a channel op does on IRC holds on the web, and every act is in the audit log.
 */
const testDb = useTestDb();
const IRC_SECRET = randomBytes(24).toString("hex");
let ircd: TestIrcd;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clients: { close(): unknown }[] = [];

beforeAll(async () => {
  ircd = await startTestIrcd({ databaseUrl: testDb.databaseUrl(), secret: IRC_SECRET });
  gateway = await startTestGateway({
    db: testDb.db(),
    ircSecret: IRC_SECRET,
    ircGatewayPort: ircd.gatewayPort,
  });
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await gateway?.close();
  await ircd?.close();
});

type TUser = { id: string; username: string };

async function webViewer(channel: string, user?: TUser) {
  const token = user
    ? signChatToken({ userId: user.id, username: user.username }, TEST_TOKEN_SECRET)
    : undefined;
  const client = await ChatTestClient.connect({ url: gateway.url, channel, token });
  clients.push(client);
  if (user)
    await client.until((chat) => chat.status === "connected", 15_000, `${user.username}'s IRC connection`);
  return client;
}

async function ircUser(user: TUser, channel: string) {
  const { token } = await createIrcToken(testDb.db(), { userId: user.id });
  const client = await IrcTestClient.connect({
    port: ircd.publicPort,
    nick: user.username,
    pass: token,
    caps: ["message-tags", "server-time"],
  });
  clients.push(client);
  const mark = client.mark();
  client.send(`JOIN #${channel}`);
  await client.waitFor((line) => line.command === "366", { from: mark });
  return client;
}

/** A channel with its owner and two chatters, all on the web chat. */
async function chatRoom() {
  const db = testDb.db();
  const { user: owner, channel } = await seedChannel(db);
  const { user: bob } = await seedChannel(db);
  const { user: carol } = await seedChannel(db);
  return { owner, bob, carol, channel: channel.name, channelId: channel.id };
}

async function auditActions(channelId: string) {
  const { actions } = await listModerationActions(testDb.db(), { channelId, take: 50 });
  return actions.map(({ action, actorName, targetName }) => ({ action, actorName, targetName }));
}

describe("chat moderation", () => {
  it("the owner appoints a moderator, who deletes a line: it goes for every web viewer and from history", async () => {
    const { owner, bob, carol, channel, channelId } = await chatRoom();
    const ownerWeb = await webViewer(channel, owner);
    expect(ownerWeb.viewer).toMatchObject({ role: "owner" });
    const carolWeb = await webViewer(channel, carol);
    expect(carolWeb.viewer).toMatchObject({ role: null });
    expect(await ownerWeb.send(`/mod ${carol.username}`)).toEqual({ ok: true });
    await ownerWeb.until((chat) => chat.noticeWith(/is now a moderator of this chat/) !== undefined);
    expect(await ownerWeb.send("/mods")).toEqual({
      ok: true,
      text: `Moderators of this chat: ${carol.username}.`,
    });
    await carolWeb.until((chat) => chat.viewer?.role === "moderator", 5_000, "carol's new role");

    const bobWeb = await webViewer(channel, bob);
    const anonymous = await webViewer(channel);
    const onIrc = await ircUser((await seedChannel(testDb.db())).user, channel);
    expect(await bobWeb.send("buy cheap followers")).toMatchObject({ ok: true });
    await anonymous.until((chat) => chat.messageWith("buy cheap followers") !== undefined);
    const spam = anonymous.messageWith("buy cheap followers")!;

    const reporter = await webViewer(channel, (await seedChannel(testDb.db())).user);
    expect(await reporter.report(spam.id, "spam")).toEqual({
      ok: true,
      text: "Thank you: the channel's moderators will look at it.",
    });
    expect(await anonymous.report(spam.id, "spam")).toEqual({
      ok: false,
      error: "Sign in to report a message.",
    });
    expect(await listOpenChatReports(testDb.db(), { channelId })).toEqual([
      expect.objectContaining({ msgid: spam.id, messageText: "buy cheap followers", reason: "spam" }),
    ]);
    expect(await carolWeb.moderate({ type: "delete", messageId: spam.id })).toMatchObject({ ok: true });
    await anonymous.until((chat) => chat.deleted.has(spam.id), 5_000, "chat:delete");
    await anonymous.until((chat) => chat.noticeWith(/deleted a message from/) !== undefined);
    await onIrc.waitFor(
      (line) => line.command === "NOTICE" && /deleted a message from/.test(line.params[1] ?? ""),
    );
    const newcomer = await webViewer(channel);
    expect(newcomer.history!.map((message) => message.id)).not.toContain(spam.id);
    await expect
      .poll(async () =>
        (await listRecentChatMessages(testDb.db(), { channelName: channel, take: 10 })).map(
          (row) => row.msgid,
        ),
      )
      .not.toContain(spam.id);
    // A moderator cannot act on the owner, nor appoint moderators.
    expect(await carolWeb.send(`/timeout ${owner.username}`)).toEqual({
      ok: false,
      error: "You cannot timeout the channel's owner.",
    });
    expect(await carolWeb.send(`/mod ${bob.username}`)).toMatchObject({ ok: false });
    expect(await auditActions(channelId)).toEqual([
      { action: "message_delete", actorName: carol.username, targetName: bob.username },
      { action: "moderator_add", actorName: owner.username, targetName: carol.username },
    ]);
  });

  it("a timeout mutes the user on the web and on IRC, and ends by itself", async () => {
    const { owner, bob, carol, channel, channelId } = await chatRoom();
    const ownerWeb = await webViewer(channel, owner);
    const watcher = await webViewer(channel);
    const bobWeb = await webViewer(channel, bob);
    const carolIrc = await ircUser(carol, channel);
    expect(await ownerWeb.send(`/timeout ${bob.username} 3 calm down`)).toMatchObject({ ok: true });
    expect(await ownerWeb.send(`/timeout ${carol.username} 3`)).toMatchObject({ ok: true });
    await watcher.until(
      (chat) => chat.noticeWith(new RegExp(`${bob.username} was timed out for 3 seconds`)) !== undefined,
    );

    expect(await bobWeb.send("am I muted?")).toEqual({
      ok: false,
      error: expect.stringMatching(/^You are timed out for another [1-3] s\. Reason: calm down$/),
    });
    // On IRC, the mute is a mode change everyone in the channel sees.
    await carolIrc.waitFor(
      (line) => line.command === "MODE" && line.params.includes(`m:${carol.username}!*@*`),
    );
    const mark = carolIrc.mark();
    carolIrc.send(`PRIVMSG #${channel} :muted on irc`);
    await carolIrc.waitFor((line) => line.command === "404", { from: mark });
    expect(watcher.messageWith("muted on irc")).toBeUndefined();

    // The lifter takes the mute off IRC within a second of its end.
    await expect
      .poll(async () => (await bobWeb.send("free again")).ok, { timeout: 10_000, interval: 500 })
      .toBe(true);
    await expect
      .poll(
        async () => {
          carolIrc.send(`PRIVMSG #${channel} :irc free again`);
          await new Promise((resolve) => setTimeout(resolve, 300));
          return watcher.messageWith("irc free again") !== undefined;
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(true);
    expect((await auditActions(channelId)).map(({ action }) => action)).toEqual(["timeout", "timeout"]);
  });

  it("a ban the owner sets on IRC holds on the web and is stored; a KICK on IRC is logged once", async () => {
    const { owner, bob, carol, channel, channelId } = await chatRoom();
    const watcher = await webViewer(channel);
    const ownerIrc = await ircUser(owner, channel);
    await ownerIrc.waitFor((line) => line.command === "MODE" && line.params[2] === owner.username, {
      timeoutMs: 10_000,
    });
    const bobWeb = await webViewer(channel, bob);
    await ircUser(carol, channel);

    ownerIrc.send(`MODE #${channel} +b ${bob.username}!*@*`);
    await watcher.until(
      (chat) => chat.noticeWith(new RegExp(`${bob.username} was banned by ${owner.username}`)) !== undefined,
    );
    await bobWeb.until(
      (chat) => chat.notices.some((notice) => notice.code === "refused"),
      10_000,
      "bob's removal",
    );
    expect(await bobWeb.send("still here?")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/banned/),
    });
    // A banned user opening the chat again reads but cannot speak.
    const bobAgain = await webViewer(channel);
    expect(bobAgain.viewer?.canSend).toBe(false);

    ownerIrc.send(`KICK #${channel} ${carol.username} :take a break`);
    await watcher.until(
      (chat) =>
        chat.noticeWith(
          new RegExp(`${carol.username} was removed from the chat by ${owner.username}: take a break`),
        ) !== undefined,
    );
    ownerIrc.send(`MODE #${channel} -b ${bob.username}!*@*`);
    await watcher.until((chat) => chat.noticeWith(new RegExp(`${bob.username} was unbanned`)) !== undefined);
    expect(await auditActions(channelId)).toEqual([
      { action: "unban", actorName: owner.username, targetName: bob.username },
      { action: "kick", actorName: owner.username, targetName: carol.username },
      { action: "ban", actorName: owner.username, targetName: bob.username },
    ]);
  });

  it("slow mode holds a chatter to one line per period, moderators exempt; /clear empties every chat", async () => {
    const { owner, bob, channel } = await chatRoom();
    const ownerWeb = await webViewer(channel, owner);
    const bobWeb = await webViewer(channel, bob);
    const watcher = await webViewer(channel);
    expect(await ownerWeb.send("/slow 30")).toMatchObject({ ok: true });
    expect(await bobWeb.send("first")).toEqual({ ok: true });
    await watcher.until((chat) => chat.messageWith("first") !== undefined);
    expect(await bobWeb.send("second")).toEqual({
      ok: false,
      error: expect.stringMatching(/^Slow mode is on \(one message every 30 seconds\): wait \d+ s\.$/),
    });
    expect(await ownerWeb.send("owner one")).toEqual({ ok: true });
    expect(await ownerWeb.send("owner two")).toEqual({ ok: true });
    await watcher.until((chat) => chat.messageWith("owner two") !== undefined);
    expect(await ownerWeb.send("/slowoff")).toMatchObject({ ok: true });
    expect(await bobWeb.send("second")).toEqual({ ok: true });
    await watcher.until((chat) => chat.messageWith("second") !== undefined);

    expect(await ownerWeb.send("/clear")).toMatchObject({ ok: true });
    await watcher.until((chat) => chat.clears === 1, 5_000, "chat:clear");
    expect((await webViewer(channel)).history).toEqual([]);
  });

  it("nobody without a role moderates, from the chat or through the internal API", async () => {
    const { owner, bob, carol, channel } = await chatRoom();
    const { channel: elsewhere } = await seedChannel(testDb.db());
    const bobWeb = await webViewer(channel, bob);
    expect(await bobWeb.send(`/ban ${carol.username}`)).toEqual({
      ok: false,
      error: "Only the channel's moderators can do that.",
    });
    expect(await bobWeb.moderate({ type: "clear" })).toEqual({
      ok: false,
      error: "Only the channel's moderators can do that.",
    });

    const moderate = (
      channelName: string,
      actor: TUser,
      command: object,
      token = internalApiToken(TEST_TOKEN_SECRET),
    ) =>
      fetch(`${gateway.url}/internal/v1/channels/${channelName}/moderation`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ actor: { userId: actor.id, username: actor.username }, command }),
      });
    expect((await moderate(channel, owner, { type: "clear" }, "wrong")).status).toBe(401);
    // The owner of one channel is nobody in another.
    expect((await moderate(elsewhere.name, owner, { type: "clear" })).status).toBe(403);
    expect((await moderate(channel, owner, { type: "ban", username: "no_such_user" })).status).toBe(404);
    expect((await moderate(channel, owner, { type: "mod", username: bob.username })).status).toBe(200);
    expect((await moderate(channel, owner, { type: "mod", username: bob.username })).status).toBe(409);
    expect((await moderate(channel, owner, { type: "nonsense" })).status).toBe(400);
  });

  it("a suspended account's chats close: its web chat on every gateway, its IRC sessions", async () => {
    const { bob, channel } = await chatRoom();
    const bobWeb = await webViewer(channel, bob);
    const bobIrc = await ircUser(bob, channel);
    const response = await fetch(`${gateway.url}/internal/v1/users/${bob.id}/${bob.username}/disconnect`, {
      method: "POST",
      headers: { authorization: `Bearer ${internalApiToken(TEST_TOKEN_SECRET)}` },
    });
    expect(response.status).toBe(204);
    await bobIrc.waitFor((line) => line.command === "ERROR" && /suspended/.test(line.params[0] ?? ""), {
      timeoutMs: 5_000,
    });
    await bobWeb.until((chat) => !chat.socket.connected, 5_000, "bob's web chat to close");
  });

  it("an admin bans a user from every chat: refused on the web in any channel, shunned on IRC, until lifted", async () => {
    const { bob, carol, channel } = await chatRoom();
    const { user: admin } = await seedChannel(testDb.db());
    await testDb.db().user.update({ where: { id: admin.id }, data: { role: "admin" } });
    const siteBan = (command: object, actor: TUser = admin) =>
      fetch(`${gateway.url}/internal/v1/site-bans`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${internalApiToken(TEST_TOKEN_SECRET)}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ actor: { userId: actor.id, username: actor.username }, command }),
      });
    const watcher = await webViewer(channel);
    const bobWeb = await webViewer(channel, bob);
    const bobIrc = await ircUser(bob, channel);
    const carolIrc = await ircUser(carol, channel);
    /** Bob says a line on IRC; once carol's next line is on the web, bob's would be there before it. */
    async function bobSaysOnIrc(text: string, marker: string) {
      const mark = bobIrc.mark();
      bobIrc.send(`PRIVMSG #${channel} :${text}`);
      bobIrc.send("PING :order");
      await bobIrc.waitFor((line) => line.command === "PONG", { from: mark });
      carolIrc.send(`PRIVMSG #${channel} :${marker}`);
      await watcher.until((chat) => chat.messageWith(marker) !== undefined);
      return watcher.messageWith(text) !== undefined;
    }

    expect((await siteBan({ type: "ban", username: bob.username }, carol)).status).toBe(403);
    expect((await siteBan({ type: "ban", username: bob.username, reason: "spam everywhere" })).status).toBe(
      200,
    );
    const elsewhere = await webViewer((await seedChannel(testDb.db())).channel.name, bob);
    for (const chat of [bobWeb, elsewhere]) {
      expect(await chat.send("anyone?")).toEqual({
        ok: false,
        error: "You are banned from every chat on this site. Reason: spam everywhere",
      });
    }
    expect(await bobSaysOnIrc("shunned line", "marker one")).toBe(false);

    expect((await siteBan({ type: "unban", username: bob.username })).status).toBe(200);
    expect((await siteBan({ type: "unban", username: bob.username })).status).toBe(409);
    expect(await bobWeb.send("back again")).toEqual({ ok: true });
    expect(await bobSaysOnIrc("heard again", "marker two")).toBe(true);
  });

  it("blocked terms hold a line back for the moderators, from the web and from IRC; moderators are exempt", async () => {
    const { owner, bob, carol, channel, channelId } = await chatRoom();
    const ownerWeb = await webViewer(channel, owner);
    const watcher = await webViewer(channel);
    const bobWeb = await webViewer(channel, bob);
    const carolIrc = await ircUser(carol, channel);
    expect(await bobWeb.moderate({ type: "terms", terms: ["nothing"] })).toMatchObject({ ok: false });
    expect(await ownerWeb.moderate({ type: "terms", terms: ["buy followers", "scam*"] })).toEqual({
      ok: true,
      text: "2 blocked terms are in force.",
    });

    expect(await bobWeb.send("BUY FOLLOWERS here")).toEqual({
      ok: false,
      error: "Your message is held for the moderators: it has a term this chat blocks.",
    });
    await ownerWeb.until((chat) =>
      chat.notices.some((notice) => notice.code === "held" && /BUY FOLLOWERS here/.test(notice.text)),
    );
    carolIrc.send(`PRIVMSG #${channel} :total scammer stuff`);
    await ownerWeb.until((chat) =>
      chat.notices.some((notice) => notice.code === "held" && /scammer/.test(notice.text)),
    );
    carolIrc.send(`PRIVMSG #${channel} :a fine line`);
    await watcher.until((chat) => chat.messageWith("a fine line") !== undefined);
    expect(watcher.messages.map((message) => message.text)).toEqual(["a fine line"]);
    expect(watcher.notices.filter((notice) => notice.code === "held")).toEqual([]);
    // The owner's own words are not held.
    expect(await ownerWeb.send("no scams here")).toEqual({ ok: true });
    const { actions } = await listModerationActions(testDb.db(), {
      channelId,
      action: "blocked_terms",
      take: 5,
    });
    expect(actions).toEqual([
      expect.objectContaining({ actorName: owner.username, details: { terms: ["buy followers", "scam*"] } }),
    ]);
  });
});
