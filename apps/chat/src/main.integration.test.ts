import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import {
  ChatTestClient,
  findFreePorts,
  IrcTestClient,
  startTestIrcd,
  type TestIrcd,
} from "@relaycast/chat/testing";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { afterAll, beforeAll, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const IRC_SECRET = randomBytes(24).toString("hex");
const testDb = useTestDb();
let ircd: TestIrcd;
let gateway: ChildProcess | undefined;

beforeAll(async () => {
  ircd = await startTestIrcd({ databaseUrl: testDb.databaseUrl(), secret: IRC_SECRET });
});

afterAll(async () => {
  if (gateway?.exitCode === null) gateway.kill("SIGKILL");
  await ircd?.close();
});

/** The chat gateway process (apps/chat) itself, as `npm start` runs it, on a free port. */
async function startGatewayProcess(): Promise<{ child: ChildProcess; url: string }> {
  const { publicPort: port } = await findFreePorts();
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: testDb.databaseUrl(),
      WEB_AUTH_SECRET: randomBytes(32).toString("hex"),
      IRC_SECRET,
      IRC_GATEWAY_PORT: String(ircd.gatewayPort),
      CHAT_PORT: String(port),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("the chat gateway exited during startup");
    if (Date.now() > deadline) throw new Error("the chat gateway did not start");
    if (
      await fetch(`${url}/metrics`).then(
        (response) => response.ok,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url };
}

it("after a clean stop (SIGTERM), the gateway has quit IRC and every line it heard is in ChatMessage", async () => {
  const { channel } = await seedChannel(testDb.db());
  const started = await startGatewayProcess();
  gateway = started.child;
  const viewer = await ChatTestClient.connect({ url: started.url, channel: channel.name });

  // An oper of the gateway port speaks without flood limits: 3,000 lines as fast as IRC takes them.
  const sender = await IrcTestClient.connect({
    port: ircd.gatewayPort,
    pass: ircd.credentials.gatewayPassword,
    nick: "bulk_sender",
    user: "bulk",
  });
  sender.send(`OPER ${ircd.credentials.operName} ${ircd.credentials.operPassword}`);
  await sender.waitForCommand("381");
  const joined = sender.mark();
  sender.send(`JOIN #${channel.name}`);
  await sender.waitFor((line) => line.command === "366", { from: joined });
  // The gateway joins the channel on its own schedule: once a first line reaches the viewer, it hears
  // every line that follows.
  for (let attempt = 0; viewer.messageWith("ready") === undefined; attempt += 1) {
    if (attempt === 30) throw new Error("the gateway never joined the channel");
    sender.send(`PRIVMSG #${channel.name} :ready`);
    await viewer.until((client) => client.messageWith("ready") !== undefined, 1_000).catch(() => {});
  }
  const readyLines = await testDb.db().chatMessage.count({ where: { channelId: channel.id } });
  const count = 3_000;
  for (let index = 0; index < count; index += 1) sender.send(`PRIVMSG #${channel.name} :bulk ${index}`);
  await viewer.until(
    (client) => client.messageWith(`bulk ${count - 1}`) !== undefined,
    60_000,
    "the last line",
  );

  const beforeStop = sender.mark();
  const exited = new Promise<number | null>((resolve) => gateway!.once("exit", (code) => resolve(code)));
  gateway.kill("SIGTERM");
  expect(await exited).toBe(0);
  // Its reader left IRC with a QUIT, not by dropping the connection.
  const quit = await sender.waitFor((line) => line.command === "QUIT", { from: beforeStop });
  expect(quit.params.at(-1)).toBe("Quit: Gateway stopping");
  viewer.close();
  await sender.close();
  const stored = await testDb
    .db()
    .chatMessage.findMany({ where: { channelId: channel.id }, select: { text: true } });
  expect(stored.filter((row) => row.text.startsWith("bulk ")).length).toBe(count);
  expect(stored.length).toBeGreaterThanOrEqual(readyLines + count);
});
