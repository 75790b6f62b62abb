import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signChatToken } from "@relaycast/chat/chat-token";
import { ChatTestClient, startTestGateway, TEST_TOKEN_SECRET } from "@relaycast/chat/testing";
import { freePort } from "@relaycast/config";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
const testDb = useTestDb();
const IRC_SECRET = randomBytes(24).toString("hex");
const children: ChildProcess[] = [];
const gateways: Awaited<ReturnType<typeof startTestGateway>>[] = [];
const clients: ChatTestClient[] = [];
let dataDir: string;

type IrcServer = {
  name: string;
  sid: string;
  ports: Record<"irc" | "tls" | "gateway" | "server" | "health", number>;
};

async function ircServer(name: string, sid: string): Promise<IrcServer> {
  const ports = { irc: 0, tls: 0, gateway: 0, server: 0, health: 0 };
  for (const key of Object.keys(ports) as Array<keyof typeof ports>) ports[key] = await freePort();
  return { name, sid, ports };
}

/** The `ircd` app, as compose and Kubernetes run it: everything from the environment. */
function runIrcd(server: IrcServer, peer: IrcServer): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: testDb.databaseUrl(),
      IRC_SECRET,
      DATA_DIR: join(dataDir, server.name),
      IRC_SERVER_NAME: server.name,
      IRC_SERVER_ID: server.sid,
      IRC_LINK_PEERS: `${peer.name}@127.0.0.1:${peer.ports.server}`,
      IRC_PORT: String(server.ports.irc),
      IRC_TLS_PORT: String(server.ports.tls),
      IRC_GATEWAY_PORT: String(server.ports.gateway),
      IRC_SERVER_PORT: String(server.ports.server),
      IRC_HEALTH_PORT: String(server.ports.health),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  return child;
}

async function isReady(server: IrcServer): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${server.ports.health}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "relaycast-linked-ircd-"));
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const gateway of gateways) await gateway.close();
  await Promise.all(
    children.map(
      (child) =>
        new Promise((exited) => {
          if (child.exitCode !== null) return exited(null);
          child.once("exit", exited);
          child.kill("SIGTERM");
        }),
    ),
  );
  await rm(dataDir, { recursive: true, force: true });
});

it("two linked IRC servers, each with its own chat gateway, carry one conversation", async () => {
  const first = await ircServer("irc1.relaycast.test", "0AA");
  const second = await ircServer("irc2.relaycast.test", "1AA");
  runIrcd(first, second);
  runIrcd(second, first);
  await expect.poll(() => isReady(first), { timeout: 60_000, interval: 200 }).toBe(true);
  await expect.poll(() => isReady(second), { timeout: 60_000, interval: 200 }).toBe(true);

  for (const server of [first, second]) {
    gateways.push(
      await startTestGateway({
        db: testDb.db(),
        ircSecret: IRC_SECRET,
        ircGatewayPort: server.ports.gateway,
      }),
    );
  }
  const [onFirst, onSecond] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
  const { channel } = await seedChannel(testDb.db());
  const { user: kim } = await seedChannel(testDb.db());
  const { user: lee } = await seedChannel(testDb.db());
  const kimToken = signChatToken({ userId: kim.id, username: kim.username }, TEST_TOKEN_SECRET);
  const leeToken = signChatToken({ userId: lee.id, username: lee.username }, TEST_TOKEN_SECRET);
  const kimChat = await ChatTestClient.connect({ url: onFirst.url, channel: channel.name, token: kimToken });
  const leeChat = await ChatTestClient.connect({ url: onSecond.url, channel: channel.name, token: leeToken });
  clients.push(kimChat, leeChat);

  // The servers link on their own (one autoconnects to the other): a line goes through once they have.
  await expect
    .poll(
      async () => {
        await kimChat.send(`hello from ${first.name}`);
        return leeChat.messages.some((message) => message.text === `hello from ${first.name}`);
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
  expect(await leeChat.send(`hello from ${second.name}`)).toEqual({ ok: true });
  await kimChat.until((client) =>
    client.messages.some((message) => message.text === `hello from ${second.name}`),
  );
  const heard = leeChat.messages.find((message) => message.text === `hello from ${first.name}`)!;
  expect(heard.nick).toBe(kim.username);
});
