import { connect, type Socket } from "node:net";
import { request as httpRequest } from "node:http";
import { trustedProxySet } from "@relaycast/config";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  Cleanup,
  RawRtmpClient,
  getMetrics,
  getStream,
  killAllTestProcesses,
  memoryBroadcastStore,
  metricValue,
  publishTestStream,
  readFlv,
  startTestMediaNode,
  testStreamKey,
  waitFor,
  type TestMediaNode,
  type TestPublisher,
} from "../testing/index.ts";

const CHANNEL = "limits";
const streamKey = testStreamKey();
const PER_CLIENT = 20;
const PENDING = 4;
/**
 * Linux routes all of 127/8 to loopback: each test's connections come from addresses of their own, apart
 * from the publisher's and the test's own HTTP requests (127.0.0.1).
 */
const CLIENT = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"] as const;
/** The reverse proxy in front of the node's HTTP port (TRUSTED_PROXIES). */
const PROXY = "127.0.0.9";

let media: TestMediaNode;
let publisher: TestPublisher;
const cleanup = new Cleanup();

beforeAll(async () => {
  media = await startTestMediaNode({
    store: memoryBroadcastStore({ [streamKey]: CHANNEL }).store,
    maxConnectionsPerClient: PER_CLIENT,
    maxPendingConnections: PENDING,
    trustedProxies: trustedProxySet([PROXY]),
  });
  publisher = publishTestStream(media.rtmpUrl(`live/${streamKey}`));
  await waitFor(async () => (await getStream(media, CHANNEL))?.health.video.codec, {
    timeoutMs: 15_000,
    message: "the stream to be live",
  });
});

afterEach(() => cleanup.run());

afterAll(async () => {
  await publisher?.kill();
  await media?.close();
  await killAllTestProcesses();
});

type OpenSocket = { socket: Socket; closed: Promise<void>; readonly isClosed: boolean };

/** A TCP connection that sends nothing; its `closed` settles when the server closes it. */
async function silentSocket(port: number, localAddress: string): Promise<OpenSocket> {
  const socket = cleanup.defer(connect({ port, host: "127.0.0.1", localAddress }), (opened) =>
    opened.destroy(),
  );
  socket.on("error", () => {});
  socket.resume();
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      isClosed = true;
      resolve();
    }),
  );
  await Promise.race([new Promise((resolve) => socket.once("connect", resolve)), closed]);
  return {
    socket,
    closed,
    get isClosed() {
      return isClosed;
    },
  };
}

async function refusedCount(reason: string): Promise<number> {
  return metricValue(await getMetrics(media), "relaycast_media_connections_refused_total", { reason }) ?? 0;
}

/** Waits until the server has accepted (and counted) `count` RTMP connections. */
async function rtmpConnections(count: number): Promise<void> {
  await waitFor(
    async () => metricValue(await getMetrics(media), "relaycast_media_rtmp_connections") === count,
    { timeoutMs: 5_000, message: `${count} RTMP connections` },
  );
}

describe("connection caps", () => {
  it("connections not yet admitted are capped in total; the live stream and its viewers are not", async () => {
    const before = await refusedCount("pending");
    const held = [];
    for (let index = 0; index < PENDING; index += 1)
      held.push(await silentSocket(media.ports.rtmp, CLIENT[0]));
    await rtmpConnections(1 + PENDING);
    const refused = await silentSocket(media.ports.rtmp, CLIENT[1]);
    await refused.closed;
    expect(await refusedCount("pending")).toBe(before + 1);
    expect(held.every((open) => !open.isClosed)).toBe(true);

    const viewer = await readFlv(media.httpUrl(`/live/${CHANNEL}.flv`), { tags: 30, ms: 5_000 });
    expect(viewer.tags.length).toBeGreaterThanOrEqual(30);
    expect(publisher.isRunning).toBe(true);

    // Once one pending connection is gone, a new one is taken and can play.
    held[0]!.socket.destroy();
    await rtmpConnections(PENDING);
    const player = cleanup.defer(new RawRtmpClient(media.ports.rtmp, "127.0.0.1", CLIENT[1]), (client) =>
      client.destroy(),
    );
    await player.handshake();
    await player.connectApp(media.ports.rtmp);
    player.play(CHANNEL);
    await player.waitFor("NetStream.Play.Start");
  });

  it("a client past its share of connections is refused on RTMP and HTTP; another client is not", async () => {
    const before = await refusedCount("per-client");
    // Idle HTTP connections (RTMP ones would meet the cap on pending connections first), then one of each.
    const held = [];
    for (let index = 0; index < PER_CLIENT; index += 1)
      held.push(await silentSocket(media.ports.http, CLIENT[2]));
    const overRtmp = await silentSocket(media.ports.rtmp, CLIENT[2]);
    const overHttp = await silentSocket(media.ports.http, CLIENT[2]);
    await Promise.all([overRtmp.closed, overHttp.closed]);
    expect(await refusedCount("per-client")).toBe(before + 2);
    expect(held.every((open) => !open.isClosed)).toBe(true);

    const other = await silentSocket(media.ports.http, CLIENT[3]);
    other.socket.write(`GET /api/v1/streams/${CHANNEL} HTTP/1.1\r\nHost: media\r\nConnection: close\r\n\r\n`);
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      other.socket.on("data", (data: Buffer) => (text += data.toString("latin1")));
      other.socket.once("close", () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(publisher.isRunning).toBe(true);
  });

  it("a peer that announces more than a publish command needs before publishing is closed and counted", async () => {
    const client = cleanup.defer(new RawRtmpClient(media.ports.rtmp, "127.0.0.1", CLIENT[3]), (raw) =>
      raw.destroy(),
    );
    await client.handshake();
    const before = metricValue(await getMetrics(media), "relaycast_media_peer_errors_total", {
      protocol: "rtmp",
      code: "MEMORY_BUDGET",
    });
    // The header of a 100 KB command and its first 128 bytes: NMS would reserve the whole message.
    const header = Buffer.alloc(12);
    header[0] = 3;
    header.writeUIntBE(100 * 1024, 4, 3);
    header[7] = 20;
    client.write(Buffer.concat([header, Buffer.alloc(128, 0x02)]));
    expect(await client.waitClosed(5_000)).toBe(true);
    const after = metricValue(await getMetrics(media), "relaycast_media_peer_errors_total", {
      protocol: "rtmp",
      code: "MEMORY_BUDGET",
    });
    expect(after).toBe((before ?? 0) + 1);
  });
});

/** GET from one of this machine's loopback addresses; the status. */
function getFrom(localAddress: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port: media.ports.http,
        path,
        localAddress,
        agent: false,
        headers,
      },
      (response) => {
        response.resume();
        response.once("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.once("error", reject);
    request.end();
  });
}

/** GET through the reverse proxy: from PROXY's address, with the X-Forwarded-For it would append. */
function getViaProxy(path: string, forwardedFor: string): Promise<number> {
  return getFrom(PROXY, path, { "x-forwarded-for": forwardedFor });
}

describe("behind a trusted reverse proxy", () => {
  it("the proxy is not held to one client's share of connections", async () => {
    const held = [];
    for (let index = 0; index < PER_CLIENT + 5; index += 1)
      held.push(await silentSocket(media.ports.http, PROXY));
    expect(await getViaProxy("/api/v1/streams", "198.51.100.1")).toBe(200);
    expect(held.every((open) => !open.isClosed)).toBe(true);
  });

  it("HLS viewers are the addresses the proxy forwards; a direct client's forged header is not believed", async () => {
    const playlist = `/hls/${CHANNEL}/index.m3u8`;
    await waitFor(async () => (await getViaProxy(playlist, "198.51.100.1")) === 200, {
      timeoutMs: 15_000,
      message: "the HLS playlist",
    });
    // A client may prepend anything; the proxy appends the address it saw, and that one counts.
    for (const viewer of ["198.51.100.2", "198.51.100.3"]) {
      expect(await getViaProxy(playlist, `203.0.113.66, ${viewer}`)).toBe(200);
    }
    const forged = await fetch(media.httpUrl(playlist), { headers: { "x-forwarded-for": "192.0.2.44" } });
    await forged.text();
    // 198.51.100.1, .2 and .3 through the proxy, and this test's own address (not 192.0.2.44).
    expect((await getStream(media, CHANNEL))!.viewers.hls).toBe(4);
  });
});

describe("HLS audience", () => {
  it("counts a client by its address: playlists fetched with a hundred User-Agents count once", async () => {
    const playlist = `/hls/${CHANNEL}/index.m3u8`;
    await waitFor(async () => (await fetch(media.httpUrl(playlist))).status === 200, {
      timeoutMs: 15_000,
      message: "the HLS playlist",
    });
    const before = (await getStream(media, CHANNEL))!.viewers.hls;
    for (let index = 0; index < 100; index += 1)
      expect(await getFrom(CLIENT[0], playlist, { "user-agent": `bot-${index}` })).toBe(200);
    expect((await getStream(media, CHANNEL))?.viewers.hls).toBe(before + 1);
  });
});
