import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { createDb, saveChatMessages, type Db } from "@relaycast/db";
import { seedChannel } from "@relaycast/db/testing";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { createLogger } from "@relaycast/logger";
import { afterEach, describe, expect, it } from "vitest";
import type { TIrcChatLine } from "../translate/irc-chat-line.ts";
import { ChatMessageWriter } from "./chat-message-writer.ts";

const testDb = useTestDb();

/** The writer as the gateway wires it, saving into `db`; its log lines are collected. */
function writerFor(db: Db, options: ConstructorParameters<typeof ChatMessageWriter>[2] = {}) {
  const logged: Array<{ msg: string; [field: string]: unknown }> = [];
  const log = createLogger({
    name: "writer-test",
    level: "info",
    destination: { write: (line: string) => void logged.push(JSON.parse(line)) },
  });
  const writer = new ChatMessageWriter(
    async (lines) => {
      await saveChatMessages(
        db,
        lines.map(({ channel, ...line }) => ({ ...line, channelName: channel })),
      );
    },
    log,
    { retryIntervalMs: 100, ...options },
  );
  return { writer, logged };
}

function lines(channel: string, count: number, prefix: string): TIrcChatLine[] {
  return Array.from({ length: count }, (_, index) => ({
    msgid: `${prefix}~${index}`,
    channel,
    nick: "guest-writer",
    username: null,
    text: `line ${index}`,
    isAction: false,
    sentAt: new Date(),
    replyTo: null,
  }));
}

async function savedCount(channelId: string): Promise<number> {
  return testDb.db().chatMessage.count({ where: { channelId } });
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A TCP relay to the test PostgreSQL that can be cut (listener closed, every connection reset) and
 * restored on the same port: the database is really unreachable in between.
 */
class DatabaseLink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("error", () => {});
        socket.on("close", () => this.sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("ChatMessageWriter against PostgreSQL", () => {
  it("a clean stop saves every pending line, also while a save is running", async () => {
    const { channel } = await seedChannel(testDb.db());
    const { writer } = writerFor(testDb.db());
    writer.start();
    for (const line of lines(channel.name, 5_000, "stop")) writer.add(line);
    const running = writer.flush();
    await writer.close();
    await running;
    expect(writer.pendingCount).toBe(0);
    expect(await savedCount(channel.id)).toBe(5_000);
  });

  it("while the database is down, lines wait in a bounded buffer, counted and logged, and are saved when it is back", async () => {
    const { channel } = await seedChannel(testDb.db());
    const url = new URL(testDb.databaseUrl());
    const link = new DatabaseLink({ host: url.hostname, port: Number(url.port || 5432) });
    await link.up();
    cleanups.push(() => link.down());
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(link.port);
    const db = createDb(proxied.toString());
    cleanups.push(() => db.$disconnect());
    const { writer, logged } = writerFor(db, { maxPending: 1_000 });
    cleanups.push(() => writer.close());
    writer.start();

    writer.add(lines(channel.name, 1, "before")[0]!);
    await until(async () => (await savedCount(channel.id)) === 1);

    await link.down();
    for (const line of lines(channel.name, 1_500, "outage")) writer.add(line);
    await until(() => writer.saveFailureCount > 0);
    expect(writer.pendingCount).toBe(1_000);
    expect(writer.droppedCount).toBe(500);
    expect(logged.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining([
        "chat history buffer is full; dropping the oldest unsaved lines until the database is back",
        "could not save chat lines; holding them until the database is back",
      ]),
    );

    await link.up();
    await until(() => writer.pendingCount === 0);
    expect(await savedCount(channel.id)).toBe(1_001);
    const newest = await testDb.db().chatMessage.findFirst({ where: { msgid: "outage~1499" } });
    expect(newest?.text).toBe("line 1499");
    expect(logged.map((entry) => entry.msg)).toContain("chat lines are being saved again");
  });
});
