import { randomBytes } from "node:crypto";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signChatToken } from "../chat-token.ts";
import {
  ChatTestClient,
  startTestGateway,
  startTestIrcd,
  TEST_TOKEN_SECRET,
  type TestIrcd,
} from "../testing/index.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const testDb = useTestDb();
const IRC_SECRET = randomBytes(24).toString("hex");
let ircd: TestIrcd;
const gateways: Awaited<ReturnType<typeof startTestGateway>>[] = [];
const clients: ChatTestClient[] = [];

beforeAll(async () => {
  ircd = await startTestIrcd({ databaseUrl: testDb.databaseUrl(), secret: IRC_SECRET });
  for (let index = 0; index < 2; index++) {
    gateways.push(
      await startTestGateway({
        db: testDb.db(),
        ircSecret: IRC_SECRET,
        ircGatewayPort: ircd.gatewayPort,
        overrides: { redisUrl: REDIS_URL, rateLimit: { messages: 3, windowMs: 30_000 } },
      }),
    );
  }
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const gateway of gateways) await gateway.close();
  await ircd?.close();
});

it("two gateways with Redis serve one channel: every viewer gets each line once, and a user's limit is shared", async () => {
  const { channel } = await seedChannel(testDb.db());
  const { user: kim } = await seedChannel(testDb.db());
  const token = signChatToken({ userId: kim.id, username: kim.username }, TEST_TOKEN_SECRET);
  const [first, second] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
  const watchers = await Promise.all(
    [first, second].map((gateway) => ChatTestClient.connect({ url: gateway.url, channel: channel.name })),
  );
  const kimOnFirst = await ChatTestClient.connect({ url: first.url, channel: channel.name, token });
  const kimOnSecond = await ChatTestClient.connect({ url: second.url, channel: channel.name, token });
  clients.push(...watchers, kimOnFirst, kimOnSecond);

  expect(await kimOnFirst.send("from the first")).toEqual({ ok: true });
  expect(await kimOnSecond.send("from the second")).toEqual({ ok: true });
  expect(await kimOnFirst.send("third")).toEqual({ ok: true });
  const overLimit = await kimOnSecond.send("fourth");
  expect(overLimit.ok).toBe(false);

  for (const watcher of watchers) {
    await watcher.until((client) => client.messages.length >= 3);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const watcher of watchers) {
    expect(watcher.messages.map((message) => message.text)).toEqual([
      "from the first",
      "from the second",
      "third",
    ]);
  }
  expect(watchers[0]!.messages.map((message) => message.id)).toEqual(
    watchers[1]!.messages.map((message) => message.id),
  );
  // Both gateways saw every line; each is stored once.
  await expect
    .poll(() => testDb.db().chatMessage.count({ where: { channelId: channel.id } }), { timeout: 5_000 })
    .toBe(3);
});
