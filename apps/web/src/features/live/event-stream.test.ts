import { createServer, get, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { afterEach, describe, expect, it } from "vitest";
import { EventFeeds } from "./event-feeds.ts";
import { eventStreamResponse } from "./event-stream.ts";

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Serves eventStreamResponse over real HTTP, as the route does, with one feed shared by every request. */
async function serveEvents(feeds: EventFeeds<{ live: boolean }>, lifetimeMs: number): Promise<number> {
  const server = createServer((incoming, outgoing) => {
    const aborted = new AbortController();
    outgoing.once("close", () => aborted.abort());
    const host = incoming.headers.host ?? "";
    const response = eventStreamResponse<{ live: boolean }>(
      new Request(`http://x${incoming.url}`, { signal: aborted.signal }),
      {
        subscribe: (subscriber) => feeds.subscribe("alice", subscriber),
        format: (value) => ({ ...value, host }),
        lifetimeMs,
      },
    );
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    Readable.fromWeb(response.body! as WebReadableStream).pipe(outgoing);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** An EventSource-like reader: the data lines it got, and whether the server ended the stream. */
function listen(port: number, host: string) {
  const state = { data: [] as string[], hasEnded: false, response: undefined as IncomingMessage | undefined };
  const request = get(
    { host: "127.0.0.1", port, path: "/events", headers: { host }, agent: false },
    (response) => {
      state.response = response;
      let buffer = "";
      response.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const events = buffer.split("\n\n");
        buffer = events.pop()!;
        for (const event of events) if (event.startsWith("data: ")) state.data.push(event.slice(6));
      });
      response.on("end", () => (state.hasEnded = true));
    },
  );
  request.on("error", () => {});
  return { state, close: () => request.destroy() };
}

describe("event streams over HTTP", () => {
  it("50 viewers on many Host headers share one poll of the channel", async () => {
    let polls = 0;
    const feeds = new EventFeeds({
      intervalMs: 50,
      poll: async () => {
        polls += 1;
        return { live: polls >= 3 };
      },
    });
    const port = await serveEvents(feeds, 60_000);
    const viewers = Array.from({ length: 50 }, (_, index) => listen(port, `host-${index}.test`));
    await expect
      .poll(() => viewers.every(({ state }) => state.data.some((line) => line.includes('"live":true'))), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(viewers[7]!.state.data.at(-1)).toBe('{"live":true,"host":"host-7.test"}');
    // One poll per interval for all of them, not one per viewer.
    expect(polls).toBeLessThan(50);
    for (const viewer of viewers) viewer.close();
    await expect.poll(() => feeds.activeKeys).toBe(0);
  });

  it("ends a stream after its lifetime, and the feed stops when nobody listens", async () => {
    const feeds = new EventFeeds({ intervalMs: 20, poll: async () => ({ live: true }) });
    const port = await serveEvents(feeds, 200);
    const viewer = listen(port, "a.test");
    await expect.poll(() => viewer.state.hasEnded, { timeout: 5_000 }).toBe(true);
    expect(viewer.state.data).toEqual(['{"live":true,"host":"a.test"}']);
    await expect.poll(() => feeds.activeKeys).toBe(0);
  });
});
