import { FlvParser } from "../../flv/flv-parser.ts";
import { LiveStream } from "../../edge/live-stream.ts";
import { DEFAULT_FANOUT } from "../../media-node.ts";
import { FUZZ_CHANNELS } from "../fuzz-keys.ts";
import type { FuzzTarget } from "../fuzz-target.ts";
import { driveConnection } from "../drive-connection.ts";
import { mutateBytes, splitWrites } from "../mutate-bytes.ts";
import type { Random } from "../random.ts";

const RESIDENT = FUZZ_CHANNELS.at(-1)!;

/** A path a player might ask for, or one an attacker would. */
function path(random: Random): string {
  const channel = random.chance(0.7)
    ? RESIDENT
    : random.pick([...FUZZ_CHANNELS, "../../etc/passwd", "x".repeat(random.int(0, 5_000))]);
  return random.pick([
    `/live/${channel}.flv`,
    `/live/${channel}.flv?token=${"a".repeat(random.int(0, 100))}`,
    `/hls/${channel}/index.m3u8`,
    `/hls/${channel}/seg-${random.edgy32()}.ts`,
    `/api/v1/streams/${channel}`,
    "/api/v1/streams",
    `/thumbnails/${channel}.jpg`,
    "/metrics",
    `/%2e%2e/${channel}`,
  ]);
}

function request(random: Random, headers: string[]): Buffer {
  const method = random.chance(0.85)
    ? "GET"
    : random.pick(["HEAD", "POST", "OPTIONS", "PUT", "G\u0000T", "GET "]);
  const version = random.chance(0.9) ? "HTTP/1.1" : random.pick(["HTTP/1.0", "HTTP/2.0", "HTTP/9", ""]);
  const lines = [`${method} ${path(random)} ${version}`, "Host: media", ...headers];
  if (random.chance(0.1)) lines.push(`X-Big: ${"b".repeat(random.int(1, 20_000))}`);
  if (random.chance(0.1)) lines.push(`Content-Length: ${random.edgy32()}`);
  if (random.chance(0.05)) lines.push("Transfer-Encoding: chunked");
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
}

/**
 * The FLV target: HTTP-FLV viewers of the resident stream (pipelined, damaged, slow or gone at once),
 * and the FLV parser over a damaged recording, its tags fanned out to FLV and RTMP viewers.
 */
export const flvTarget: FuzzTarget = async (random, context) => {
  if (random.chance(0.5)) {
    const requests = Array.from({ length: random.int(1, 3) }, () => request(random, []));
    const bytes = Buffer.concat(requests);
    const damaged = random.chance(0.4) ? mutateBytes(bytes, random) : bytes;
    await driveConnection(context.node, "http", splitWrites(damaged, random), random);
    return;
  }
  const parser = new FlvParser();
  const stream = new LiveStream({ channel: "fuzz_flv", ...DEFAULT_FANOUT });
  const sink = { write: () => {}, bufferedBytes: () => 0, close: () => {} };
  stream.addViewer("http-flv", "flv", sink);
  stream.addViewer("rtmp", "rtmp", sink);
  try {
    for (const piece of splitWrites(mutateBytes(context.corpus.flv, random), random)) {
      const result = parser.push(piece);
      if (!result.ok) break;
      for (const tag of result.tags) stream.push(tag);
    }
  } finally {
    stream.end();
  }
};

/** One WebSocket frame, possibly lying about its length, unmasked, fragmented or of an unknown opcode. */
function frame(random: Random): Buffer {
  const opcode = random.pick([0x0, 0x1, 0x2, 0x8, 0x9, 0xa, random.int(0, 15)]);
  const payload = random.bytes(random.int(0, random.chance(0.1) ? 10_000 : 64));
  const isMasked = random.chance(0.9);
  const fin = random.chance(0.8) ? 0x80 : 0;
  const announced = random.chance(0.9) ? payload.length : random.edgy32();
  const header: number[] = [fin | opcode];
  if (announced < 126) header.push((isMasked ? 0x80 : 0) | announced);
  else if (announced < 0x10000) header.push((isMasked ? 0x80 : 0) | 126, announced >> 8, announced & 0xff);
  else
    header.push(
      (isMasked ? 0x80 : 0) | 127,
      0,
      0,
      0,
      0,
      announced >>> 24,
      (announced >> 16) & 0xff,
      (announced >> 8) & 0xff,
      announced & 0xff,
    );
  return Buffer.concat([Buffer.from(header), isMasked ? random.bytes(4) : Buffer.alloc(0), payload]);
}

/** The WS-FLV target: upgrades (good, damaged, refused) to the resident stream, then frames of all kinds. */
export const wsFlvTarget: FuzzTarget = async (random, context) => {
  const headers = [
    "Connection: Upgrade",
    "Upgrade: websocket",
    `Sec-WebSocket-Version: ${random.chance(0.9) ? 13 : random.int(0, 20)}`,
    `Sec-WebSocket-Key: ${random.chance(0.9) ? random.bytes(16).toString("base64") : "short"}`,
  ];
  if (random.chance(0.2))
    headers.push("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
  if (random.chance(0.1)) headers.splice(random.int(0, headers.length - 1), 1);
  const upgrade = request(random, headers);
  const frames = Array.from({ length: random.int(0, 6) }, () => frame(random));
  const bytes = Buffer.concat([random.chance(0.2) ? mutateBytes(upgrade, random) : upgrade, ...frames]);
  await driveConnection(context.node, "http", splitWrites(bytes, random), random, {
    waitAfterFirst: random.int(0, 2),
  });
};
