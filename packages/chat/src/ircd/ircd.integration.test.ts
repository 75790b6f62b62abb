import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join as joinPath } from "node:path";
import { createIrcToken, revokeIrcToken } from "@relaycast/db";
import { enableIrcDatabaseRole } from "@relaycast/db/migrations";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import {
  findFreePorts,
  IrcTestClient,
  startTestIrcd,
  type IrcLine,
  type IrcTestClientOptions,
  type TestIrcd,
} from "../testing/index.ts";

const LOGIN_HINT =
  "Login failed: PASS your IRC token from the Relaycast dashboard with your username as nick, or use a nick starting with guest- to read";
const IRCV3_CAPS = ["message-tags", "server-time", "echo-message", "batch"];
/** A displayed host: HMAC-SHA256 cloaks of the address at three prefix lengths. */
const CLOAK = /^[0-9a-f]{10}\.[0-9a-f]{10}\.[0-9a-f]{10}\.ip$/;

const testDb = useTestDb();
let ircd: TestIrcd;
let oper: IrcTestClient;

beforeAll(async () => {
  // sqlauth logs in with the restricted IRC role, as `npm start` on PostgreSQL does.
  const ircDatabaseUrl = await enableIrcDatabaseRole({
    databaseUrl: testDb.databaseUrl(),
    password: randomBytes(24).toString("hex"),
  });
  ircd = await startTestIrcd({ databaseUrl: ircDatabaseUrl! });
  oper = await connectOper(ircd);
});

afterAll(async () => {
  await oper?.close();
  await ircd?.close();
});

/** Client factories for one test; its clients are closed when it finishes (tests run concurrently). */
function ircClients(context: TestContext) {
  const opened: IrcTestClient[] = [];
  context.onTestFinished(async () => {
    await Promise.all(opened.map((client) => client.close()));
  });
  const track = (client: IrcTestClient) => {
    opened.push(client);
    return client;
  };
  return {
    /** A client on the public port. */
    public: async (options: Omit<IrcTestClientOptions, "port">, server = ircd) =>
      track(await IrcTestClient.connect({ port: server.publicPort, ...options })),
    /** A viewer connection as the gateway opens it: gateway password, WEBIRC with the viewer's IP, ident u_<userId>. */
    viewer: async (options: Omit<IrcTestClientOptions, "port" | "pass" | "webirc"> & { ip: string }) =>
      track(
        await IrcTestClient.connect({
          port: ircd.gatewayPort,
          pass: ircd.credentials.gatewayPassword,
          webirc: { password: ircd.credentials.webircPassword, hostname: options.ip, ip: options.ip },
          ...options,
        }),
      ),
    oper: async (server: TestIrcd, nick: string) => track(await connectOper(server, nick)),
    track,
  };
}

/** The gateway's own connection: gateway port, then OPER. */
async function connectOper(server: TestIrcd, nick = "gateway"): Promise<IrcTestClient> {
  const client = await IrcTestClient.connect({
    port: server.gatewayPort,
    pass: server.credentials.gatewayPassword,
    nick,
    user: "gateway",
    caps: IRCV3_CAPS,
  });
  client.send(`OPER ${server.credentials.operName} ${server.credentials.operPassword}`);
  await client.waitForCommand("381");
  return client;
}

/** The oper creates (and stays in) a channel; new channels get +H and the guest mute by default. */
async function createChannel(name = `#c${randomBytes(4).toString("hex")}`, by = oper): Promise<string> {
  const from = by.mark();
  by.send(`JOIN ${name}`);
  await by.waitFor((line) => line.command === "366" && line.params[1] === name, { from });
  return name;
}

async function join(client: IrcTestClient, channel: string): Promise<void> {
  const from = client.mark();
  client.send(`JOIN ${channel}`);
  await client.waitFor((line) => line.command === "366" && line.params[1] === channel, { from });
}

function isPrivmsg(text: string) {
  return (line: IrcLine) => line.command === "PRIVMSG" && line.params[1] === text;
}

function guestNick() {
  return `guest-${randomBytes(3).toString("hex")}`;
}

async function expectLoginRefused(options: Omit<IrcTestClientOptions, "port">) {
  await expect(IrcTestClient.connect({ port: ircd.publicPort, ...options })).rejects.toThrow(LOGIN_HINT);
}

describe.concurrent("public port: platform logins", () => {
  it("registers a user who sends PASS <token> with their username as nick, and records the token's use", async (context) => {
    const irc = ircClients(context);
    const { user } = await seedChannel(testDb.db());
    const { token, id } = await createIrcToken(testDb.db(), { userId: user.id });
    const client = await irc.public({ nick: user.username, pass: token });
    expect(client.nick).toBe(user.username);
    const row = await testDb.db().ircToken.findUniqueOrThrow({ where: { id } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });

  it("disconnects a wrong, revoked or other user's token, a suspended user and a username without PASS, with the login hint", async () => {
    // One nick per attempt: two unregistered connections with one nick overrule each other.
    const users = await Promise.all(
      Array.from({ length: 6 }, async () => (await seedChannel(testDb.db())).user),
    );
    const [wrong, injected, revoked, borrower, suspended, withoutPass] = users.map((user) => user.username);
    const ownerToken = await createIrcToken(testDb.db(), { userId: users[0]!.id });
    const revokedToken = await createIrcToken(testDb.db(), { userId: users[2]!.id });
    await revokeIrcToken(testDb.db(), { userId: users[2]!.id, tokenId: revokedToken.id });
    const suspendedToken = await createIrcToken(testDb.db(), { userId: users[4]!.id });
    await testDb.db().user.update({ where: { id: users[4]!.id }, data: { suspended: true } });

    await Promise.all([
      expectLoginRefused({ nick: wrong!, pass: `irc_${"x".repeat(32)}` }),
      expectLoginRefused({ nick: injected!, pass: "' OR '1'='1" }),
      expectLoginRefused({ nick: revoked!, pass: revokedToken.token }),
      expectLoginRefused({ nick: borrower!, pass: ownerToken.token }),
      expectLoginRefused({ nick: suspended!, pass: suspendedToken.token }),
      expectLoginRefused({ nick: withoutPass! }),
    ]);
  });

  it("a user's own IRC client takes their nick from their web chat, which goes on as nick|web", async (context) => {
    const irc = ircClients(context);
    const { user: alice } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: alice.id });
    const web = await irc.viewer({ nick: alice.username, user: `u_${alice.id}`, ip: "198.51.100.20" });
    const mark = web.mark();
    const client = await irc.public({ nick: alice.username, pass: token });
    expect(client.nick).toBe(alice.username);
    await web.waitFor((line) => line.command === "NICK" && line.params[0] === `${alice.username}|web`, {
      from: mark,
    });
  });

  it("takes nothing from a web chat for a client without a PASS, with a bogus one or with another user's token", async (context) => {
    const irc = ircClients(context);
    const { user: alice } = await seedChannel(testDb.db());
    const { user: bob } = await seedChannel(testDb.db());
    const { token: aliceToken } = await createIrcToken(testDb.db(), { userId: alice.id });
    const bobWeb = await irc.viewer({ nick: bob.username, user: `u_${bob.id}`, ip: "198.51.100.21" });
    const bobMark = bobWeb.mark();
    for (const pass of [undefined, `irc_${"x".repeat(32)}`, "' OR '1'='1", aliceToken]) {
      const attacker = irc.track(
        await IrcTestClient.open({ port: ircd.publicPort, nick: bob.username, pass }),
      );
      // 433 comes once the token was checked (and refused): a rename would have come before it.
      await attacker.waitFor((line) => line.command === "433" && line.params[1] === bob.username);
      // Asking again is checked again.
      const again = attacker.mark();
      attacker.send(`NICK ${bob.username}`);
      await attacker.waitFor((line) => line.command === "433", { from: again });
    }
    expect(bobWeb.lines.slice(bobMark).filter((line) => line.command === "NICK")).toEqual([]);
    expect(bobWeb.nick).toBe(bob.username);
  });

  it("keeps the nick sqlauth checked when a NICK follows USER during registration", async (context) => {
    const irc = ircClients(context);
    const { user: alice } = await seedChannel(testDb.db());
    const { user: bob } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: alice.id });
    const [guest, holder] = await Promise.all([
      irc.public({ nick: "guest-sneaky", afterUser: [`NICK ${alice.username}`] }),
      irc.public({ nick: alice.username, pass: token, afterUser: [`NICK ${bob.username}`] }),
    ]);
    expect(guest.nick).toBe("guest-sneaky");
    expect(holder.nick).toBe(alice.username);
    expect(guest.lines.some((line) => line.command === "432" && line.params[1] === alice.username)).toBe(
      true,
    );
  });

  it("disconnects a checked connection whose nick another connection overruled, instead of taking a new NICK", async (context) => {
    const irc = ircClients(context);
    const { user: alice } = await seedChannel(testDb.db());
    const { user: bob } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: alice.id });
    // CAP LS holds registration open after NICK and USER; CAP LIST answers once both are processed.
    const holder = irc.track(
      await IrcTestClient.open({
        port: ircd.publicPort,
        nick: alice.username,
        pass: token,
        holdCap: true,
        afterUser: ["CAP LIST"],
      }),
    );
    await holder.waitFor((line) => line.command === "CAP" && line.params[1] === "LIST");
    const claimer = irc.track(await IrcTestClient.open({ port: ircd.publicPort, nick: alice.username }));
    await holder.waitFor((line) => line.command === "433" && line.params[2] === "Nickname overruled.");
    holder.send(`NICK ${bob.username}`);
    expect(await holder.closed).toContain(
      "Your nick was taken by another connection while you were logging in",
    );
    expect(await claimer.closed).toContain(LOGIN_HINT);
  });
});

describe.concurrent("public port: guests", () => {
  it("lets a guest join an oper's channel and read, but not speak, rename or create channels", async (context) => {
    const irc = ircClients(context);
    const { user } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: user.id });
    const channel = await createChannel();
    const [guest, member] = await Promise.all([
      irc.public({ nick: guestNick() }),
      irc.public({ nick: user.username, pass: token }),
    ]);
    await Promise.all([join(guest, channel), join(member, channel)]);

    member.send(`PRIVMSG ${channel} :hello guests`);
    await guest.waitFor(isPrivmsg("hello guests"));

    // New channels mute guests by default (defaultmodes +b m:guest-*!*@*).
    guest.send(`PRIVMSG ${channel} :can anyone hear me`);
    const muted = await guest.waitForCommand("404");
    expect(muted.params[2]).toContain("m: (mute) extban");

    guest.send("NICK someone_else");
    expect((await guest.waitForCommand("517")).params.slice(1)).toEqual(["NICK", "Command disabled"]);

    guest.send("JOIN #guestland");
    const refused = await guest.waitFor((line) => line.command === "474" && line.params[1] === "#guestland");
    expect(refused.params[2]).toBe("You are not allowed to create new channels.");
    expect(member.lines.some(isPrivmsg("can anyone hear me"))).toBe(false);
  });

  it("mutes guests in a channel once the oper sets +b m:guest-*!*@*", async (context) => {
    const irc = ircClients(context);
    const channel = await createChannel();
    const operFrom = oper.mark();
    oper.send(`MODE ${channel} -b m:guest-*!*@*`);
    await oper.waitFor(
      (line) => line.command === "MODE" && line.params.join(" ") === `${channel} -b m:guest-*!*@*`,
      { from: operFrom },
    );
    const guest = await irc.public({ nick: guestNick() });
    await join(guest, channel);

    guest.send(`PRIVMSG ${channel} :unmuted line`);
    await oper.waitFor(isPrivmsg("unmuted line"));

    oper.send(`MODE ${channel} +b m:guest-*!*@*`);
    await guest.waitFor(
      (line) => line.command === "MODE" && line.params.join(" ") === `${channel} +b m:guest-*!*@*`,
    );
    const from = guest.mark();
    guest.send(`PRIVMSG ${channel} :muted line`);
    await guest.waitForCommand("404", { from });
  });
});

describe.concurrent("gateway port", () => {
  it("refuses a connection with a wrong or missing gateway password", async () => {
    await Promise.all([
      expect(
        IrcTestClient.connect({ port: ircd.gatewayPort, nick: "viewer1", pass: "wrong" }),
      ).rejects.toThrow("Wrong gateway password"),
      expect(IrcTestClient.connect({ port: ircd.gatewayPort, nick: "viewer2" })).rejects.toThrow(
        "Wrong gateway password",
      ),
    ]);
  });

  it("keeps each viewer's WEBIRC IP (shown cloaked) and u_<userId> ident, and bans by ident hit only that viewer", async (context) => {
    const irc = ircClients(context);
    const userId = randomBytes(16).toString("hex");
    const otherId = randomBytes(16).toString("hex");
    const [viewer, other] = await Promise.all([
      irc.viewer({ nick: "viewer_a", user: `u_${userId}`, ip: "198.51.100.7" }),
      irc.viewer({ nick: "viewer_b", user: `u_${otherId}`, ip: "2001:db8::42" }),
    ]);
    const from = oper.mark();
    oper.send("WHOIS viewer_a");
    oper.send("WHOIS viewer_b");
    const whoisA = await oper.waitFor((line) => line.command === "311" && line.params[1] === "viewer_a", {
      from,
    });
    const whoisB = await oper.waitFor((line) => line.command === "311" && line.params[1] === "viewer_b", {
      from,
    });
    expect(whoisA.params.slice(1, 3)).toEqual(["viewer_a", `u_${userId}`]);
    expect(whoisB.params.slice(1, 3)).toEqual(["viewer_b", `u_${otherId}`]);
    expect(whoisA.params[3]).toMatch(CLOAK);
    expect(whoisB.params[3]).toMatch(CLOAK);
    expect(whoisA.params[3]).not.toBe(whoisB.params[3]);

    oper.send(`KLINE u_${userId}@* 1m :bye`);
    expect(await viewer.closed).toContain("K-lined: bye");
    oper.send(`KLINE u_${userId}@*`);
    other.send("PING :still-here");
    await other.waitFor((line) => line.command === "PONG" && line.params[1] === "still-here");
  });

  it("lets a viewer send 20 messages at once without fake lag", async (context) => {
    const irc = ircClients(context);
    const channel = await createChannel();
    const viewer = await irc.viewer({
      nick: "fast_viewer",
      user: `u_${randomBytes(8).toString("hex")}`,
      ip: "203.0.113.9",
    });
    await join(viewer, channel);
    const startedAt = Date.now();
    for (let index = 0; index < 20; index += 1) viewer.send(`PRIVMSG ${channel} :burst ${index}`);
    await oper.waitFor(isPrivmsg("burst 19"));
    expect(Date.now() - startedAt).toBeLessThan(900);
  });

  it("gives the gateway oper many channels, moderation commands and NICK, but not server administration", async (context) => {
    const irc = ircClients(context);
    const renamer = await irc.oper(ircd, "gateway_old");
    renamer.send("NICK gateway_new");
    await renamer.waitFor((line) => line.command === "NICK" && line.params[0] === "gateway_new");

    const prefix = `#many${randomBytes(3).toString("hex")}`;
    const from = oper.mark();
    for (let index = 0; index < 120; index += 1) oper.send(`JOIN ${prefix}_${index}`);
    await oper.waitFor((line) => line.command === "366" && line.params[1] === `${prefix}_119`, {
      from,
      timeoutMs: 10_000,
    });
    const joined = oper.lines
      .slice(from)
      .filter((line) => line.command === "JOIN" && line.params[0]?.startsWith(`${prefix}_`));
    expect(joined).toHaveLength(120);
    expect(oper.lines.slice(from).some((line) => line.command === "405")).toBe(false);

    oper.send("DIE irc.relaycast.local");
    const denied = await oper.waitFor((line) => line.command === "481", { from });
    expect(denied.params[1]).toContain("does not have access to command DIE");
  });
});

describe.concurrent("IRCv3", () => {
  it("tags messages with msgid and server-time, echoes them, and replays history to a new member", async (context) => {
    const irc = ircClients(context);
    const { user } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: user.id });
    const channel = await createChannel();
    const [speaker, listener] = await Promise.all([
      irc.public({ nick: user.username, pass: token, caps: IRCV3_CAPS }),
      irc.public({ nick: guestNick(), caps: IRCV3_CAPS }),
    ]);
    await Promise.all([join(speaker, channel), join(listener, channel)]);

    speaker.send(`@+draft/reply=abc PRIVMSG ${channel} :tagged hello`);
    const received = await listener.waitFor(isPrivmsg("tagged hello"));
    const echoed = await speaker.waitFor(isPrivmsg("tagged hello"));
    expect(received.tags.msgid).toMatch(/^0AA~/);
    expect(received.tags.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(received.tags["+draft/reply"]).toBe("abc");
    expect(echoed.tags.msgid).toBe(received.tags.msgid);

    const late = await irc.public({ nick: guestNick(), caps: IRCV3_CAPS });
    await join(late, channel);
    const batchStart = await late.waitFor(
      (line) => line.command === "BATCH" && line.params[1] === "chathistory",
    );
    const replayed = await late.waitFor(isPrivmsg("tagged hello"));
    expect(replayed.tags.batch).toBe(batchStart.params[0]?.slice(1));
    expect(replayed.tags.msgid).toBe(received.tags.msgid);
  });
});

describe.concurrent("privacy", () => {
  it("a guest sees no viewer's or IRC user's IP on JOIN, WHO, WHOX or WHOIS, only stable cloaks", async (context) => {
    const irc = ircClients(context);
    const { user } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: user.id });
    const channel = await createChannel();
    const guest = await irc.public({ nick: guestNick() });
    await join(guest, channel);
    const viewerId = randomBytes(8).toString("hex");
    const from = guest.mark();
    const [viewer, member] = await Promise.all([
      irc.viewer({ nick: "cloaked_viewer", user: `u_${viewerId}`, ip: "198.51.100.77" }),
      irc.public({ nick: user.username, pass: token }),
    ]);
    await Promise.all([join(viewer, channel), join(member, channel)]);
    guest.send(`WHO ${channel}`);
    guest.send(`WHO ${channel} %tnuhi,42`);
    guest.send("WHOIS cloaked_viewer");
    guest.send(`WHOIS ${user.username}`);
    guest.send(`USERHOST cloaked_viewer ${user.username}`);
    await guest.waitFor((line) => line.command === "318" && line.params[1] === user.username, { from });
    await guest.waitForCommand("302", { from });
    // Lines about the guest itself may show its own address.
    const aboutOthers = guest.lines.slice(from).filter((line) => line.params.at(-1) !== guest.nick);
    for (const address of ["198.51.100.77", "127.0.0.1"]) {
      expect(aboutOthers.map((line) => line.raw).filter((raw) => raw.includes(address))).toEqual([]);
    }
    const joinLine = guest.lines
      .slice(from)
      .find((line) => line.command === "JOIN" && line.source?.startsWith("cloaked_viewer!"));
    expect(joinLine?.source).toMatch(new RegExp(`^cloaked_viewer!u_${viewerId}@`));
    const viewerHost = joinLine!.source!.split("@")[1]!;
    expect(viewerHost).toMatch(CLOAK);
    const whoxViewer = guest.lines
      .slice(from)
      .find((line) => line.command === "354" && line.params.includes("cloaked_viewer"));
    expect(whoxViewer?.params).toContain("255.255.255.255");

    // The same address gets the same cloak on every connection; its /24 and /16 parts are shared.
    const again = await irc.viewer({ nick: "cloaked_again", user: "u_again", ip: "198.51.100.77" });
    const neighbour = await irc.viewer({ nick: "cloaked_near", user: "u_near", ip: "198.51.100.78" });
    const hosts = await Promise.all(
      ["cloaked_again", "cloaked_near"].map(async (nick) => {
        const mark = guest.mark();
        guest.send(`WHOIS ${nick}`);
        return (
          await guest.waitFor((line) => line.command === "311" && line.params[1] === nick, { from: mark })
        ).params[3]!;
      }),
    );
    expect(hosts[0]).toBe(viewerHost);
    expect(hosts[1]).not.toBe(viewerHost);
    expect(hosts[1]!.split(".").slice(1)).toEqual(viewerHost.split(".").slice(1));
    await Promise.all([again.close(), neighbour.close()]);
  });

  it("bans on a viewer's real IP and on their ident still hit them behind the cloak", async (context) => {
    const irc = ircClients(context);
    const channel = await createChannel();
    const [byIp, byIdent, bystander] = await Promise.all([
      irc.viewer({ nick: "banned_by_ip", user: "u_ipban", ip: "203.0.113.50" }),
      irc.viewer({ nick: "banned_by_id", user: "u_identban", ip: "203.0.113.51" }),
      irc.viewer({ nick: "not_banned", user: "u_bystander", ip: "203.0.113.52" }),
    ]);
    const from = oper.mark();
    oper.send(`MODE ${channel} +b *!*@203.0.113.50`);
    oper.send(`MODE ${channel} +b *!u_identban@*`);
    await oper.waitFor(
      (line) => line.command === "MODE" && line.params.join(" ") === `${channel} +b *!u_identban@*`,
      { from },
    );
    for (const banned of [byIp, byIdent]) {
      const mark = banned.mark();
      banned.send(`JOIN ${channel}`);
      await banned.waitFor((line) => line.command === "474" && line.params[1] === channel, { from: mark });
    }
    await join(bystander, channel);

    oper.send("ZLINE 203.0.113.50 1m :bye");
    expect(await byIp.closed).toContain("Z-lined");
    oper.send("ZLINE 203.0.113.50");
    bystander.send("PING :still-here");
    await bystander.waitFor((line) => line.command === "PONG" && line.params[1] === "still-here");
  });
});

describe.concurrent("guests and private messages", () => {
  it("refuses a guest's PRIVMSG, NOTICE, CTCP and TAGMSG to a user; signed-in users still talk privately", async (context) => {
    const irc = ircClients(context);
    const { user } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: user.id });
    const [guest, member, viewer] = await Promise.all([
      irc.public({ nick: guestNick(), caps: IRCV3_CAPS }),
      irc.public({ nick: user.username, pass: token, caps: IRCV3_CAPS }),
      irc.viewer({ nick: "pm_target", user: "u_pmtarget", ip: "198.51.100.90" }),
    ]);
    const attempts = [
      `PRIVMSG ${user.username} :hello from a guest`,
      `NOTICE ${user.username} :notice from a guest`,
      `PRIVMSG ${user.username} :\u0001VERSION\u0001`,
      `@+typing=active TAGMSG ${user.username}`,
      "PRIVMSG pm_target :hello web viewer",
    ];
    for (const attempt of attempts) {
      const from = guest.mark();
      guest.send(attempt);
      const refused = await guest.waitForCommand("531", { from });
      expect(refused.params[2]).toContain("Guests cannot send private messages");
    }

    member.send("PRIVMSG pm_target :hello from a member");
    await viewer.waitFor(isPrivmsg("hello from a member"));
    const received = [...member.lines, ...viewer.lines].filter(
      (line) => ["PRIVMSG", "NOTICE", "TAGMSG"].includes(line.command) && line.source?.startsWith("guest-"),
    );
    expect(received).toEqual([]);
  });
});

describe.concurrent("TLS", () => {
  it("a client logs in with a token over TLS, checking the generated certificate", async (context) => {
    const irc = ircClients(context);
    const { user } = await seedChannel(testDb.db());
    const { token } = await createIrcToken(testDb.db(), { userId: user.id });
    const ca = await readFile(joinPath(ircd.process.dir, "tls", "cert.pem"));
    const client = irc.track(
      await IrcTestClient.connect({
        port: ircd.tlsPort,
        nick: user.username,
        pass: token,
        tls: { ca, servername: "localhost" },
      }),
    );
    expect(client.nick).toBe(user.username);
    const from = client.mark();
    client.send(`WHOIS ${user.username}`);
    // RPL_WHOISSECURE: the server knows this connection is encrypted.
    await client.waitFor((line) => line.command === "671", { from });
  });
});

describe.concurrent("linking", () => {
  it("passes a message between two linked servers", async (context) => {
    const irc = ircClients(context);
    const secret = randomBytes(24).toString("hex");
    const [ports1, ports2] = await Promise.all([findFreePorts(), findFreePorts()]);
    const name1 = "irc1.relaycast.local";
    const name2 = "irc2.relaycast.local";
    const [irc1, irc2] = await Promise.all([
      startTestIrcd({
        databaseUrl: testDb.databaseUrl(),
        ports: ports1,
        serverName: name1,
        serverId: "1AA",
        secret,
        peers: [{ name: name2, host: "127.0.0.1", port: ports2.serverPort }],
      }),
      startTestIrcd({
        databaseUrl: testDb.databaseUrl(),
        ports: ports2,
        serverName: name2,
        serverId: "2AA",
        secret,
        peers: [{ name: name1, host: "127.0.0.1", port: ports1.serverPort, autoconnect: true }],
      }),
    ]);
    try {
      const [oper1, guest2] = await Promise.all([
        irc.oper(irc1, "gateway1"),
        irc.public({ nick: "guest-far", caps: IRCV3_CAPS }, irc2),
      ]);
      await waitForLink(oper1, name2);
      const channel = await createChannel("#linked", oper1);
      await joinOnceCreated(guest2, channel);
      oper1.send(`PRIVMSG ${channel} :across the link`);
      const received = await guest2.waitFor(isPrivmsg("across the link"));
      expect(received.source).toMatch(/^gateway1!/);
      // A user of the other server is shown with the cloak its own server gave it.
      expect(received.source?.split("@")[1]).toMatch(CLOAK);
      expect(received.tags.msgid).toMatch(/^1AA~/);
    } finally {
      await Promise.all([irc1.close(), irc2.close()]);
    }
  });
});

/** JOIN, retried while the channel has not reached this server yet (474: only opers create channels). */
async function joinOnceCreated(client: IrcTestClient, channel: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const from = client.mark();
    client.send(`JOIN ${channel}`);
    const reply = await client.waitFor(
      (line) => ["366", "474"].includes(line.command) && line.params[1] === channel,
      { from },
    );
    if (reply.command === "366") return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${channel} never reached ${client.nick}'s server`);
}

async function waitForLink(client: IrcTestClient, peer: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const from = client.mark();
    client.send("LINKS");
    await client.waitForCommand("365", { from });
    if (client.lines.slice(from).some((line) => line.command === "364" && line.params[1] === peer)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${peer} did not link within 15 s`);
}
