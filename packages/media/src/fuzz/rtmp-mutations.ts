import { mutateBytes } from "./mutate-bytes.ts";
import type { Random } from "./random.ts";
import { chunkMessage, type RtmpSession, type RtmpSessionMessage } from "./rtmp-session.ts";

const SET_CHUNK_SIZE = 1;
const AUDIO = 8;
const VIDEO = 9;
const COMMAND = 20;
const DATA = 18;
const CHUNK_SIZES = [1, 2, 127, 128, 129, 4_096, 65_535, 65_536, 0x7fffffff];

export type RtmpMutationOptions = {
  /** Which kinds of damage this session may get (each still with its own chance). */
  focus: "any" | "amf" | "timestamps" | "none";
  /** The session's name as recorded (a stream key or channel) and what it becomes. */
  rename?: { from: string; to: string };
};

const isMedia = (message: RtmpSessionMessage) => message.type === AUDIO || message.type === VIDEO;

/**
 * A recorded RTMP session, changed as RTMP: timestamps shifted near 2^32, jumped or wrapped; chunk sizes
 * from 1 to 2^31-1; media moved to other chunk streams and interleaved; lengths announced larger than
 * sent; commands and metadata with damaged AMF; messages dropped, repeated or reordered; and then,
 * sometimes, byte-level damage to the whole stream.
 */
export function mutateRtmpSession(
  session: RtmpSession,
  random: Random,
  options: RtmpMutationOptions,
): Buffer {
  let messages = session.messages.map((message) => ({
    ...message,
    payload: renamed(message.payload, options.rename),
  }));
  // Most sessions keep a prefix of the media: enough for headers, a keyframe and some frames.
  if (options.focus !== "none" && random.chance(0.7)) {
    const firstMedia = messages.findIndex(isMedia);
    if (firstMedia !== -1) messages = messages.slice(0, random.int(firstMedia, messages.length));
  }
  const any = options.focus === "any";
  if (any || options.focus === "timestamps") messages = mutateTimestamps(messages, random);
  if (any || options.focus === "amf") {
    for (const message of messages) {
      const isAmf = message.type === COMMAND || message.type === DATA;
      if (isAmf && random.chance(options.focus === "amf" ? 0.5 : 0.1))
        message.payload = mutateBytes(message.payload, random);
    }
  }
  if (any && random.chance(0.2)) messages = reorder(messages, random);
  if (any && random.chance(0.3)) {
    const csid = random.pick([3, 4, 5, 6, 7, 63, 64, 319, 320, 65_599]);
    for (const message of messages) if (isMedia(message) && random.chance(0.5)) message.csid = csid;
  }
  const bytes = Buffer.concat([session.handshake, ...chunkAll(messages, random, any)]);
  return any && random.chance(0.3) ? mutateBytes(bytes, random) : bytes;
}

function renamed(payload: Buffer, rename: RtmpMutationOptions["rename"]): Buffer {
  if (!rename) return payload;
  const at = payload.indexOf(rename.from);
  if (at === -1) return payload;
  const copy = Buffer.from(payload);
  copy.write(rename.to, at, "latin1");
  return copy;
}

function mutateTimestamps(messages: RtmpSessionMessage[], random: Random): RtmpSessionMessage[] {
  const base = random.pick([
    0,
    0x1_0000_0000 - random.int(1, 3_000),
    random.edgy32(),
    0xffffff - random.int(0, 100),
  ]);
  return messages.map((message) => {
    if (!isMedia(message)) return message;
    const timestamp = random.chance(0.02) ? random.edgy32() : (message.timestamp + base) >>> 0;
    return { ...message, timestamp };
  });
}

function reorder(messages: RtmpSessionMessage[], random: Random): RtmpSessionMessage[] {
  const result = [...messages];
  const at = random.int(0, Math.max(0, result.length - 1));
  switch (random.int(0, 2)) {
    case 0:
      result.splice(at, 1);
      break;
    case 1:
      result.splice(at, 0, ...result.slice(at, at + random.int(1, 5)));
      break;
    default: {
      const other = random.int(0, Math.max(0, result.length - 1));
      [result[at], result[other]] = [result[other]!, result[at]!];
    }
  }
  return result;
}

/**
 * Chunks the messages as the session goes: a Set Chunk Size changes the size of what follows (its
 * value may be changed first); lengths may be announced larger than sent; consecutive messages on
 * different chunk streams may have their chunks interleaved.
 */
function chunkAll(messages: RtmpSessionMessage[], random: Random, isDamaging: boolean): Buffer[] {
  const out: Buffer[] = [];
  let chunkSize = 128;
  let pending: Buffer[] | null = null;
  let pendingCsid = -1;
  for (const message of messages) {
    if (message.type === SET_CHUNK_SIZE && isDamaging && random.chance(0.3)) {
      const size = random.chance(0.7) ? random.pick(CHUNK_SIZES) : random.edgy32();
      const payload = Buffer.alloc(4);
      payload.writeUInt32BE(size >>> 0);
      message.payload = payload;
    }
    const isHuge = isDamaging && random.chance(0.01);
    const chunks = chunkMessage(
      message,
      chunkSize,
      isHuge ? random.pick([0xffffff, 8 * 1024 * 1024 + 1, message.payload.length + 1]) : undefined,
    );
    if (message.type === SET_CHUNK_SIZE && message.payload.length >= 4) {
      const size = message.payload.readUInt32BE(0) & 0x7fffffff;
      if (size > 0) chunkSize = size;
    }
    if (pending && message.csid !== pendingCsid && isDamaging && random.chance(0.5)) {
      out.push(...interleave(pending, chunks));
      pending = null;
      continue;
    }
    if (pending) out.push(...pending);
    pending = chunks;
    pendingCsid = message.csid;
  }
  if (pending) out.push(...pending);
  return out;
}

/** Two messages' chunks alternated, chunk by chunk. */
function interleave(first: Buffer[], second: Buffer[]): Buffer[] {
  const pieces = (chunks: Buffer[]) => {
    const grouped: Buffer[] = [Buffer.concat(chunks.slice(0, 2))];
    for (let index = 2; index < chunks.length; index += 2)
      grouped.push(Buffer.concat(chunks.slice(index, index + 2)));
    return grouped;
  };
  const a = pieces(first);
  const b = pieces(second);
  const out: Buffer[] = [];
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    if (a[index]) out.push(a[index]!);
    if (b[index]) out.push(b[index]!);
  }
  return out;
}
