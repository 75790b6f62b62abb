import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signChatToken } from "../chat-token.ts";
import {
  ChatTestClient,
  findFreePorts,
  startTestGateway,
  startTestIrcd,
  TEST_TOKEN_SECRET,
  type TestIrcd,
} from "../testing/index.ts";

const testDb = useTestDb();
const IRC_SECRET = randomBytes(24).toString("hex");
let ircd: TestIrcd;
let redis: ChildProcess;
let redisPort: number;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clients: ChatTestClient[] = [];

/** A Redis of this test's own on a free port (never the machine's shared one), without persistence. */
async function startOwnRedis(port?: number): Promise<{ child: ChildProcess; port: number }> {
  port ??= (await findFreePorts()).publicPort;
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", ""], {
    stdio: "ignore",
  });
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("redis-server did not start");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, port };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => resolve(socket.destroy() && true));
    socket.once("error", () => resolve(false));
  });
}

beforeAll(async () => {
  ({ child: redis, port: redisPort } = await startOwnRedis());
  ircd = await startTestIrcd({ databaseUrl: testDb.databaseUrl(), secret: IRC_SECRET });
  gateway = await startTestGateway({
    db: testDb.db(),
    ircSecret: IRC_SECRET,
    ircGatewayPort: ircd.gatewayPort,
    overrides: { redisUrl: `redis://127.0.0.1:${redisPort}` },
  });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await gateway?.close();
  await ircd?.close();
  if (redis?.exitCode === null) redis.kill("SIGKILL");
});

it("with Redis gone mid-run, a send is answered with an error and the gateway keeps serving", async () => {
  const { channel } = await seedChannel(testDb.db());
  const { user } = await seedChannel(testDb.db());
  const token = signChatToken({ userId: user.id, username: user.username }, TEST_TOKEN_SECRET);
  const watcher = await ChatTestClient.connect({ url: gateway.url, channel: channel.name });
  const sender = await ChatTestClient.connect({ url: gateway.url, channel: channel.name, token });
  clients.push(watcher, sender);
  expect(await sender.send("before the outage")).toEqual({ ok: true });
  await watcher.until((client) => client.messageWith("before the outage") !== undefined);

  const exited = new Promise((resolve) => redis.once("exit", resolve));
  redis.kill("SIGKILL");
  await exited;

  const refused = await sender.send("during the outage");
  expect(refused).toEqual({ ok: false, error: "Chat is unavailable right now; your message was not sent." });

  // The gateway is still up: the viewers stay connected, a new one connects and gets the history.
  const late = await ChatTestClient.connect({ url: gateway.url, channel: channel.name });
  clients.push(late);
  expect(late.history?.map((message) => message.text)).toEqual(["before the outage"]);
  expect(watcher.socket.connected && sender.socket.connected).toBe(true);
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  expect(metrics).toMatch(/relaycast_chat_handler_errors_total\{event="chat:send"\} [1-9]/);

  // Redis back on its port: sending works again without a restart of the gateway.
  ({ child: redis } = await startOwnRedis(redisPort));
  await expect
    .poll(async () => (await sender.send("after the outage")).ok, { timeout: 15_000, interval: 200 })
    .toBe(true);
  await watcher.until((client) => client.messageWith("after the outage") !== undefined);
});
