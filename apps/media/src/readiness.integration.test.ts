import { connect, createServer, type Server, type Socket } from "node:net";
import { useTestDb } from "@relaycast/db/testing/vitest";
import { freePort, waitFor } from "@relaycast/media/testing";
import { afterEach, expect, it } from "vitest";
import { startMediaProcess, stopMediaProcesses } from "./testing/index.ts";

const testDb = useTestDb();

/** The way to PostgreSQL, which the test can cut and restore, as if the database went down and came back. */
class DatabaseLink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(readonly port: number) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(5432, "127.0.0.1");
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once("close", () => this.sockets.delete(socket));
        socket.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  }
}

let link: DatabaseLink | null = null;
afterEach(async () => {
  await stopMediaProcesses();
  await link?.down();
});

async function readiness(url: string) {
  const response = await fetch(url);
  return {
    status: response.status,
    body: (await response.json()) as { dependencies: Record<string, string> },
  };
}

it("/readyz goes unready when PostgreSQL stops and ready again when it returns; /healthz stays", async () => {
  link = new DatabaseLink(await freePort());
  await link.up();
  const databaseUrl = new URL(testDb.databaseUrl());
  databaseUrl.port = String(link.port);
  const media = await startMediaProcess({ databaseUrl: databaseUrl.href });
  await waitFor(async () => (await readiness(media.httpUrl("/readyz"))).status === 200, {
    message: "ready",
  });

  await link.down();
  const unready = await waitFor(
    async () => {
      const answer = await readiness(media.httpUrl("/readyz"));
      return answer.status === 503 && answer;
    },
    { message: "unready with the database down" },
  );
  expect(unready.body.dependencies.database).not.toBe("ok");
  expect((await fetch(media.httpUrl("/healthz"))).status).toBe(200);

  await link.up();
  await waitFor(async () => (await readiness(media.httpUrl("/readyz"))).status === 200, {
    timeoutMs: 15_000,
    message: "ready again with the database back",
  });
});
