import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { WebSocket } from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FLV_HEADER } from "../flv/flv-tag.ts";
import {
  Cleanup,
  RawRtmpClient,
  amf0,
  getMetrics,
  getStream,
  killAllTestProcesses,
  memoryBroadcastStore,
  metricValue,
  openFlv,
  publishTestStream,
  readFlv,
  sleep,
  startTestMediaNode,
  testStreamKey,
  waitFor,
  type TestMediaNode,
  type TestPublisher,
} from "../testing/index.ts";

const CHANNEL = "bad_input";
const OTHER = "not_live_here";
const streamKey = testStreamKey();
const otherKey = testStreamKey();
const LONG_NAME = "a".repeat(10 * 1024);
const TRAVERSALS = ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", `${CHANNEL}/../${CHANNEL}`];

let media: TestMediaNode;
let publisher: TestPublisher;
const cleanup = new Cleanup();

beforeAll(async () => {
  // OTHER has a valid key too: nothing in these tests may get it published.
  const { store } = memoryBroadcastStore({ [streamKey]: CHANNEL, [otherKey]: OTHER });
  media = await startTestMediaNode({ store });
  publisher = publishTestStream(media.rtmpUrl(`live/${streamKey}`));
  await waitFor(async () => (await getStream(media, CHANNEL))?.health.video.codec, {
    timeoutMs: 15_000,
    message: "the stream to be live",
  });
});

afterAll(async () => {
  await cleanup.run();
  await publisher?.kill();
  await media?.close();
  await killAllTestProcesses();
});

// After every kind of abuse: the process is up, the publisher still publishes, and viewers still play.
afterEach(async () => {
  await cleanup.run();
  await expectStillServing();
});

async function expectStillServing() {
  expect(publisher.isRunning).toBe(true);
  const viewer = await readFlv(media.httpUrl(`/live/${CHANNEL}.flv`), {
    tags: 30,
    ms: 5_000,
    keepBytes: false,
  });
  expect(viewer.status).toBe(200);
  expect(viewer.parseError).toBeNull();
  expect(viewer.tags.length).toBeGreaterThanOrEqual(30);
  expect(viewer.tags.some((tag) => tag.kind === "keyframe")).toBe(true);
  const player = new RawRtmpClient(media.ports.rtmp);
  try {
    await player.handshake();
    await player.connectApp(media.ports.rtmp);
    player.play(CHANNEL);
    await player.waitFor("NetStream.Play.Start");
    const before = player.receivedBytes;
    await waitFor(() => player.receivedBytes > before + 10_000, { timeoutMs: 5_000, message: "RTMP media" });
  } finally {
    player.destroy();
  }
  // Only the one stream exists: nothing here published anything.
  const streams = (await (await fetch(media.httpUrl("/api/v1/streams"))).json()) as {
    streams: { channel: string }[];
  };
  expect(streams.streams.map((stream) => stream.channel)).toEqual([CHANNEL]);
}

function rawClient(): RawRtmpClient {
  return cleanup.defer(new RawRtmpClient(media.ports.rtmp), (client) => client.destroy());
}

/** An FLV whose first tag announces 16 bytes of body but whose PreviousTagSize says otherwise. */
function brokenFlv(): Buffer {
  const tag = Buffer.alloc(11 + 16 + 4);
  tag[0] = 9;
  tag.writeUIntBE(16, 1, 3);
  tag.writeUInt32BE(0xdeadbeef, 27);
  const hugeTag = Buffer.alloc(11);
  hugeTag[0] = 9;
  hugeTag.writeUIntBE(0xffffff, 1, 3);
  return Buffer.concat([FLV_HEADER, tag, hugeTag, randomBytes(1024)]);
}

/** A raw HTTP request (the path is sent as is: no normalisation of `..`). */
function rawHttp(method: string, path: string, body?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: "127.0.0.1", port: media.ports.http, method, path, agent: false },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A WebSocket upgrade request with the path sent as is; the status of the answer (101 if upgraded). */
function rawUpgrade(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: "127.0.0.1",
      port: media.ports.http,
      path,
      agent: false,
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": randomBytes(16).toString("base64"),
      },
    });
    request.on("upgrade", (_response, socket) => {
      socket.destroy();
      resolve(101);
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end();
  });
}

describe("bad input on the RTMP port", () => {
  it("random bytes: the connection is closed, nothing else is affected", async () => {
    const clients = Array.from({ length: 5 }, () => rawClient());
    for (const client of clients) {
      await client.connected;
      client.write(randomBytes(64 * 1024));
    }
    for (const client of clients) expect(await client.waitClosed(3_000)).toBe(true);
  });

  it("a truncated handshake that the client abandons", async () => {
    const before = metricValue(await getMetrics(media), "relaycast_media_rtmp_connections")!;
    const clients = Array.from({ length: 20 }, () => rawClient());
    for (const client of clients) {
      await client.connected;
      client.write(Buffer.concat([Buffer.from([0x03]), randomBytes(768)]));
    }
    await waitFor(
      async () => metricValue(await getMetrics(media), "relaycast_media_rtmp_connections")! >= before + 20,
      { message: "the connections to be open" },
    );
    for (const client of clients) client.destroy();
    await waitFor(
      async () => metricValue(await getMetrics(media), "relaycast_media_rtmp_connections") === before,
      { message: "the connections to be forgotten" },
    );
  });

  it.each([
    ["0", 0],
    ["0xFFFFFFFF", 0xffffffff],
    ["0x80000000", 0x80000000],
  ])("Set Chunk Size %s after a real handshake: the connection is closed at once", async (_, size) => {
    const client = rawClient();
    await client.handshake();
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(size);
    // Basic header 0x02 (fmt 0, chunk stream 2), timestamp 0, length 4, type 1, stream 0.
    client.write(Buffer.concat([Buffer.from([0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0]), payload]));
    // Then a command that would need the chunk size to parse.
    client.write(Buffer.concat([Buffer.from([0x03, 0, 0, 0, 0, 0, 20, 0x14, 0, 0, 0, 0]), randomBytes(20)]));
    expect(await client.waitClosed(1_000)).toBe(true);
  });

  it("malformed AMF commands: refused or ignored, never published", async () => {
    const malformed: Buffer[] = [
      // connect without a tcUrl, publish before connect, publish with a number for a name
      amf0("connect", 1, { app: "live" }),
      amf0("publish", 3, null, 12345, "live"),
      // a string that claims more bytes than the message has
      Buffer.concat([Buffer.from([0x02, 0xff, 0xff]), Buffer.from("connect")]),
      // unterminated object, deep nesting, unknown markers
      Buffer.concat([amf0("connect", 1), Buffer.from([0x03, 0x00, 0x03, 0x61, 0x62, 0x63])]),
      Buffer.concat([amf0("connect", 1), Buffer.alloc(50_000, 0x03)]),
      Buffer.from([0x11, 0x12, 0x13, 0x14, 0x15, 0x16]),
      ...Array.from({ length: 20 }, () => randomBytes(1 + Math.floor(Math.random() * 400))),
    ];
    const clients: RawRtmpClient[] = [];
    for (const payload of malformed) {
      const client = rawClient();
      clients.push(client);
      await client.handshake();
      client.send({ csid: 3, type: 0x14, payload }, 128);
    }
    await sleep(500);
    // The obviously broken ones are closed at once; none got an answer to a publish.
    expect(clients[0]!.isClosed).toBe(true);
    expect(clients[1]!.isClosed).toBe(true);
    for (const client of clients) expect(client.saw("NetStream.Publish.Start")).toBe(false);

    // A publish with a valid key after garbage on the same connection is not admitted either.
    const mixed = rawClient();
    await mixed.handshake();
    mixed.send({ csid: 3, type: 0x14, payload: randomBytes(300) });
    if (!mixed.isClosed) mixed.publish(otherKey);
    await sleep(500);
    expect(mixed.saw("NetStream.Publish.Start")).toBe(false);
    expect(await getStream(media, OTHER)).toBeNull();
  });

  it("../ and 10 KB stream names are refused for publish and play", async () => {
    for (const name of [...TRAVERSALS, LONG_NAME, `${CHANNEL}/../${streamKey}`]) {
      for (const action of ["publish", "play"] as const) {
        const client = rawClient();
        await client.handshake();
        await client.connectApp(media.ports.rtmp);
        if (action === "publish") client.publish(name);
        else client.play(name);
        const code = action === "publish" ? "NetStream.Publish.BadName" : "NetStream.Play.StreamNotFound";
        await client.waitFor(code);
        expect(client.saw("NetStream.Publish.Start") || client.saw("NetStream.Play.Start")).toBe(false);
        expect(await client.waitClosed(2_000), `${action} ${name.slice(0, 40)}`).toBe(true);
      }
    }
    // The RTMP app is checked as well.
    const client = rawClient();
    await client.handshake();
    await client.connectApp(media.ports.rtmp, "../live");
    client.publish(streamKey);
    await client.waitFor("NetStream.Publish.BadName");
  });
});

describe("bad input on the HTTP port", () => {
  it("an HTTP POST of a broken FLV is refused with 405 and publishes nothing", async () => {
    for (const path of [`/live/${CHANNEL}.flv`, `/live/${OTHER}.flv`]) {
      const response = await rawHttp("POST", path, brokenFlv());
      expect(response.status, path).toBe(405);
    }
    expect(await getStream(media, OTHER)).toBeNull();
    expect((await rawHttp("GET", `/live/${OTHER}.flv`)).status).toBe(404);
  });

  it("a WS-FLV client that sends a broken FLV is closed and publishes nothing", async () => {
    for (const protocol of [undefined, "publisher", "post"]) {
      const ws = new WebSocket(media.wsUrl(`/live/${CHANNEL}.flv`), protocol, { perMessageDeflate: false });
      cleanup.add(() => ws.terminate());
      ws.on("error", () => {});
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
      ws.send(brokenFlv().subarray(0, 4000));
      expect(await closed, `subprotocol ${protocol}`).toBe(1003);
    }
    // Upgrades for a channel that is not live, or with a key, are refused before any message.
    for (const name of [OTHER, otherKey]) {
      const refused = await openFlv(media.wsUrl(`/live/${name}.flv`));
      expect(refused.status).toBe(404);
    }
    expect(await getStream(media, OTHER)).toBeNull();
  });

  it("bytes that are not HTTP close that connection and are counted", async () => {
    const count = async () =>
      metricValue(await getMetrics(media), "relaycast_media_peer_errors_total", {
        protocol: "http",
        code: "HPE_INVALID_METHOD",
      }) ?? 0;
    const before = await count();
    const socket = cleanup.defer(connect(media.ports.http, "127.0.0.1"), (opened) => opened.destroy());
    socket.on("error", () => {});
    socket.resume();
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write(randomBytes(64).fill(0x01, 0, 1));
    await closed;
    await waitFor(async () => (await count()) === before + 1, { timeoutMs: 5_000, message: "the count" });
  });

  it("../ and 10 KB names get a 404 on every route", async () => {
    const paths = [
      ...TRAVERSALS.flatMap((name) => [
        `/live/${name}.flv`,
        `/hls/${name}/index.m3u8`,
        `/api/v1/streams/${name}`,
      ]),
      `/hls/${CHANNEL}/../../../../etc/passwd`,
      `/hls/${CHANNEL}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/hls/${CHANNEL}/seg-1.ts/../../../../etc/passwd`,
      `/live/${LONG_NAME}.flv`,
      `/hls/${LONG_NAME}/index.m3u8`,
      `/api/v1/streams/${LONG_NAME}`,
    ];
    for (const path of paths) {
      const response = await rawHttp("GET", path);
      expect(response.status, path.slice(0, 80)).toBe(404);
      expect(response.body).not.toContain("root:");
    }
    for (const name of [...TRAVERSALS, LONG_NAME]) {
      expect(await rawUpgrade(`/live/${name}.flv`), name.slice(0, 40)).toBe(404);
    }
  });
});

describe("connections that never finish their setup", () => {
  it("1,000 silent connections, stalled and trickling handshakes: the node stays responsive and closes them all", async () => {
    const before = metricValue(await getMetrics(media), "relaycast_media_rtmp_connections")!;
    const sockets: Socket[] = [];
    const closed = new Set<Socket>();
    const open = (onConnect: (socket: Socket) => void = () => {}) => {
      const socket = connect(media.ports.rtmp, "127.0.0.1");
      socket.on("error", () => {});
      // Read (and drop) what the server sends, so that its close is seen.
      socket.resume();
      socket.once("connect", () => onConnect(socket));
      socket.once("close", () => closed.add(socket));
      sockets.push(socket);
      cleanup.add(() => socket.destroy());
      return socket;
    };
    for (let index = 0; index < 1_000; index++) open();
    // C0 + half of C1, then silence.
    open((socket) => socket.write(Buffer.concat([Buffer.from([0x03]), randomBytes(768)])));
    // Not RTMP at all.
    open((socket) => socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    open((socket) => socket.write(Buffer.alloc(4096, 0xff)));
    // A handshake trickled one byte a second: never idle, never done.
    const trickle = open((socket) => {
      const timer = setInterval(
        () => (socket.destroyed ? clearInterval(timer) : socket.write(randomBytes(1))),
        1_000,
      );
      cleanup.add(() => clearInterval(timer));
    });
    const openedAt = Date.now();
    await waitFor(
      async () => metricValue(await getMetrics(media), "relaycast_media_rtmp_connections")! >= before + 1_004,
      { timeoutMs: 5_000, message: "all connections to be accepted" },
    );

    // Meanwhile the node plays and takes a new publisher as usual.
    await expectStillServing();
    const second = cleanup.defer(publishTestStream(media.rtmpUrl(`live/${otherKey}`)), (p) => p.kill());
    await waitFor(async () => (await getStream(media, OTHER))?.health.video.codec, {
      timeoutMs: 10_000,
      message: "a second stream to go live while the connections are open",
    });
    const other = await readFlv(media.httpUrl(`/live/${OTHER}.flv`), {
      tags: 30,
      ms: 5_000,
      keepBytes: false,
    });
    expect(other.tags.length).toBeGreaterThanOrEqual(30);
    await second.kill();

    // The setup timeout (10 s) closes every one of them.
    await waitFor(() => closed.size === sockets.length, {
      timeoutMs: 13_000 - (Date.now() - openedAt),
      intervalMs: 200,
      message: `all stalled connections to be closed (${sockets.length})`,
    }).catch((error: unknown) => {
      throw new Error(
        `${closed.size}/${sockets.length} closed after ${Date.now() - openedAt} ms; open: ${sockets
          .map((socket, index) => (closed.has(socket) ? null : index))
          .filter((index) => index !== null)
          .join(", ")}; trickle closed: ${closed.has(trickle)}`,
        { cause: error },
      );
    });
    await waitFor(async () => (await getStream(media, OTHER)) === null, {
      timeoutMs: 5_000,
      message: "the second stream to end",
    });
  });
});
