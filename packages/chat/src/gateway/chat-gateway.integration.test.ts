import { randomBytes } from "node:crypto";
import { createIrcToken } from "@relaycast/db";
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
    overrides: { rateLimit: { messages: 5, windowMs: 30_000 } },
  });
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await gateway?.close();
  await ircd?.close();
});

async function webViewer(channel: string, user?: { id: string; username: string }) {
  const token = user
    ? signChatToken({ userId: user.id, username: user.username }, TEST_TOKEN_SECRET)
    : undefined;
  const client = await ChatTestClient.connect({ url: gateway.url, channel, token });
  clients.push(client);
  return client;
}

async function expectEventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function ircUser(user: { id: string; username: string }, channel?: string) {
  const { token } = await createIrcToken(testDb.db(), { userId: user.id });
  const client = await IrcTestClient.connect({
    port: ircd.publicPort,
    nick: user.username,
    pass: token,
    caps: ["message-tags", "server-time"],
  });
  clients.push(client);
  if (!channel) return client;
  const mark = client.mark();
  client.send(`JOIN #${channel}`);
  await client.waitFor((line) => line.command === "366", { from: mark });
  return client;
}

describe("chat gateway", () => {
  it("an anonymous viewer, a signed-in viewer and an IRC client see each other's lines with the right names and ids", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: bob } = await seedChannel(testDb.db());
    const { user: carol } = await seedChannel(testDb.db());
    const anonymous = await webViewer(channel.name);
    const bobWeb = await webViewer(channel.name, bob);
    await bobWeb.until((client) => client.status === "connected", 15_000, "bob's IRC connection");
    const carolIrc = await ircUser(carol, channel.name);

    expect(await bobWeb.send("hello from the web")).toEqual({ ok: true });
    const onIrc = await carolIrc.waitFor(
      (line) => line.command === "PRIVMSG" && line.params[1] === "hello from the web",
    );
    expect(onIrc.source).toMatch(new RegExp(`^${bob.username}!u_${bob.id}@`));
    await anonymous.until((client) => client.messageWith("hello from the web") !== undefined);
    expect(anonymous.messageWith("hello from the web")).toMatchObject({
      id: onIrc.tags.msgid,
      nick: bob.username,
      username: bob.username,
      channel: channel.name,
      sentAt: onIrc.tags.time,
    });

    carolIrc.send(`PRIVMSG #${channel.name} :hi from weechat`);
    for (const viewer of [anonymous, bobWeb]) {
      await viewer.until((client) => client.messageWith("hi from weechat") !== undefined);
      expect(viewer.messageWith("hi from weechat")).toMatchObject({
        nick: carol.username,
        username: carol.username,
      });
    }
  });

  it("anonymous viewers cannot send; markup and control characters arrive as plain text", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: dave } = await seedChannel(testDb.db());
    const anonymous = await webViewer(channel.name);
    expect(await anonymous.send("let me in")).toEqual({ ok: false, error: "Sign in to chat." });

    const daveWeb = await webViewer(channel.name, dave);
    expect(await daveWeb.send("<img src=x onerror=alert(1)>\r\nQUIT :bye\x03")).toEqual({ ok: true });
    await anonymous.until((client) => client.messages.length > 0);
    expect(anonymous.messages.map((message) => message.text)).toEqual([
      "<img src=x onerror=alert(1)> QUIT :bye",
    ]);
  });

  it("a flood is cut at the limit, with the reason answered to the sender only", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: erin } = await seedChannel(testDb.db());
    const watcher = await webViewer(channel.name);
    const erinWeb = await webViewer(channel.name, erin);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) => erinWeb.send(`flood ${index}`)),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(5);
    const refused = results.filter((result) => !result.ok);
    expect(refused).toHaveLength(3);
    for (const result of refused) expect(result.error).toMatch(/too quickly\. Try again in \d+ s\./);
    await watcher.until((client) => client.messages.length === 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.messages).toHaveLength(5);
    expect(watcher.notices).toEqual([]);
  });

  it("long lines are split on UTF-8 boundaries to fit IRC; replies and /me arrive as such", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: frank } = await seedChannel(testDb.db());
    const watcher = await webViewer(channel.name);
    const frankWeb = await webViewer(channel.name, frank);
    const long = "🎉é".repeat(250); // 500 characters, 1,500 bytes
    expect(await frankWeb.send(long)).toEqual({ ok: true });
    expect(await frankWeb.send("x".repeat(501))).toEqual({
      ok: false,
      error: "Messages are at most 500 characters.",
    });
    await watcher.until((client) => client.messages.map((message) => message.text).join("") === long);
    expect(watcher.messages.length).toBeGreaterThan(2);
    for (const message of watcher.messages) expect(message.text).not.toContain("\uFFFD");

    const parent = watcher.messages[0]!;
    expect(await frankWeb.send("sneaky", "x;+draft/react=1 PRIVMSG")).toEqual({
      ok: false,
      error: "That message could not be read.",
    });
    expect(await frankWeb.send("agreed", parent.id)).toEqual({ ok: true });
    expect(await frankWeb.send("/me waves")).toEqual({ ok: true });
    await watcher.until((client) => client.messageWith("waves") !== undefined);
    expect(watcher.messageWith("agreed")!.replyTo).toEqual({
      id: parent.id,
      nick: frank.username,
      text: parent.text,
    });
    expect(watcher.messageWith("waves")!.isAction).toBe(true);
  });

  it("a new viewer gets the history, also from the database after the gateway restarts", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: gina } = await seedChannel(testDb.db());
    const ginaWeb = await webViewer(channel.name, gina);
    for (const text of ["one", "two", "three"]) expect(await ginaWeb.send(text)).toEqual({ ok: true });
    await ginaWeb.until((client) => client.messages.length === 3);

    const late = await webViewer(channel.name);
    expect(late.history!.map((message) => message.text)).toEqual(["one", "two", "three"]);

    // Lines are written in batches; once they are stored, a gateway starting now serves them.
    await expect
      .poll(() => testDb.db().chatMessage.count({ where: { channelId: channel.id } }), { timeout: 5_000 })
      .toBe(3);
    const restarted = await startTestGateway({
      db: testDb.db(),
      ircSecret: IRC_SECRET,
      ircGatewayPort: ircd.gatewayPort,
    });
    try {
      const fresh = await ChatTestClient.connect({ url: restarted.url, channel: channel.name });
      fresh.close();
      expect(fresh.history!.map((message) => message.text)).toEqual(["one", "two", "three"]);
      expect(fresh.history!.map((message) => message.id)).toEqual(late.history!.map((message) => message.id));
    } finally {
      await restarted.close();
    }
  });

  it("the channel owner gets operator status on IRC when they open the chat", async () => {
    const { user: owner, channel } = await seedChannel(testDb.db());
    const { user: helen } = await seedChannel(testDb.db());
    await webViewer(channel.name); // the reader creates the channel
    const helenIrc = await ircUser(helen, channel.name);
    const mark = helenIrc.mark();
    await webViewer(channel.name, owner);
    await helenIrc.waitFor(
      (line) => line.command === "MODE" && line.params.join(" ") === `#${channel.name} +o ${owner.username}`,
      { from: mark, timeoutMs: 10_000 },
    );
  });

  it("a reload does not make a web user part and rejoin on IRC; leaving for good does, after the linger", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: nora } = await seedChannel(testDb.db());
    const { user: olga } = await seedChannel(testDb.db());
    await webViewer(channel.name);
    const olgaIrc = await ircUser(olga, channel.name);
    const first = await webViewer(channel.name, nora);
    await first.until((client) => client.status === "connected", 15_000, "nora's IRC connection");
    const joined = olgaIrc.mark();
    await olgaIrc.waitFor((line) => line.command === "JOIN" && line.source!.startsWith(`${nora.username}!`));
    first.close();
    const second = await webViewer(channel.name, nora); // the reload, within the 1 s linger
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const isPart = (line: { command: string; source?: string }) =>
      line.command === "PART" && line.source!.startsWith(`${nora.username}!`);
    expect(olgaIrc.lines.slice(joined).filter(isPart)).toEqual([]);
    second.close();
    await olgaIrc.waitFor(isPart, { from: joined, timeoutMs: 5_000 });
  });

  it("IRC users can join any platform channel, with no web viewer, and what they say is kept", async () => {
    const { user: owner, channel } = await seedChannel(testDb.db());
    const { user: mia } = await seedChannel(testDb.db());
    // A gateway started after the channel exists joins it by itself.
    const fresh = await startTestGateway({
      db: testDb.db(),
      ircSecret: IRC_SECRET,
      ircGatewayPort: ircd.gatewayPort,
    });
    try {
      const miaIrc = await ircUser(mia);
      // The new gateway's reader registers (about a second) and then creates the channel.
      await expectEventually(async () => {
        const from = miaIrc.mark();
        miaIrc.send(`JOIN #${channel.name}`);
        await miaIrc.waitFor((line) => line.command === "366" || line.command === "474", { from });
        if (!miaIrc.lines.slice(from).some((line) => line.command === "366"))
          throw new Error("not created yet");
      });
      const mark = miaIrc.mark();
      const ownerIrc = await ircUser(owner, channel.name);
      await miaIrc.waitFor(
        (line) =>
          line.command === "MODE" && line.params.join(" ") === `#${channel.name} +o ${owner.username}`,
        { from: mark, timeoutMs: 10_000 },
      );
      ownerIrc.send(`PRIVMSG #${channel.name} :only on irc`);
      await expect
        .poll(
          () =>
            testDb
              .db()
              .chatMessage.findMany({ where: { channelId: channel.id }, select: { text: true, nick: true } }),
          {
            timeout: 5_000,
          },
        )
        .toEqual([{ text: "only on irc", nick: owner.username }]);
    } finally {
      await fresh.close();
    }
  });

  it("the web app can end the IRC session of a revoked token through the internal API", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: lena } = await seedChannel(testDb.db());
    await webViewer(channel.name);
    const lenaIrc = await ircUser(lena, channel.name);
    const url = `${gateway.url}/internal/v1/irc-sessions/${lena.username}/disconnect`;
    expect((await fetch(url, { method: "POST", headers: { authorization: "Bearer nope" } })).status).toBe(
      401,
    );
    expect((await fetch(url, { method: "GET" })).status).toBe(404);
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${internalApiToken(TEST_TOKEN_SECRET)}` },
    });
    expect(response.status).toBe(204);
    expect(await lenaIrc.closed).toMatch(/Your IRC token was revoked/);
  });

  it("chat comes back by itself when the gateway is restarted", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: ivan } = await seedChannel(testDb.db());
    const first = await startTestGateway({
      db: testDb.db(),
      ircSecret: IRC_SECRET,
      ircGatewayPort: ircd.gatewayPort,
    });
    const token = signChatToken({ userId: ivan.id, username: ivan.username }, TEST_TOKEN_SECRET);
    const ivanWeb = await ChatTestClient.connect({ url: first.url, channel: channel.name, token });
    clients.push(ivanWeb);
    expect(await ivanWeb.send("before")).toEqual({ ok: true });
    await first.close();
    await ivanWeb.until((client) => !client.socket.connected, 5_000, "the disconnect");
    const second = await startTestGateway({
      db: testDb.db(),
      ircSecret: IRC_SECRET,
      ircGatewayPort: ircd.gatewayPort,
      port: first.port,
    });
    try {
      await ivanWeb.until(
        (client) => client.socket.connected && client.status === "connected",
        20_000,
        "reconnection",
      );
      expect(await ivanWeb.send("after")).toEqual({ ok: true });
      await ivanWeb.until((client) => client.messageWith("after") !== undefined);
    } finally {
      await second.close();
    }
  });

  // Last: it restarts the IRC server every other test uses.
  it("chat comes back by itself when InspIRCd dies and is restarted", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { user: judy } = await seedChannel(testDb.db());
    const watcher = await webViewer(channel.name);
    const judyWeb = await webViewer(channel.name, judy);
    expect(await judyWeb.send("before the crash")).toEqual({ ok: true });
    process.kill(ircd.process.pid!, "SIGKILL");
    await judyWeb.until((client) => client.status !== "connected", 10_000, "the gateway to notice");
    await judyWeb.until((client) => client.status === "connected", 30_000, "IRC to come back");
    expect(await judyWeb.send("after the crash")).toEqual({ ok: true });
    await watcher.until((client) => client.messageWith("after the crash") !== undefined, 10_000);
  });
});
