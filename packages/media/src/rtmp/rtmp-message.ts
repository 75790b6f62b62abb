import { TAG_TYPE, type MediaTag } from "../flv/media-tag.ts";
import { toTimestamp } from "../flv/timestamp.ts";

/** The chunk size the server announces to every peer on connect (Set Chunk Size), and writes with. */
export const RTMP_OUT_CHUNK_SIZE = 0xffff;
/**
 * The message stream id media is written on. Players get it from createStream, which answers 1 for
 * a connection's first stream; a player that plays on another id gets copies with its own id.
 */
export const RTMP_PLAY_STREAM_ID = 1;

const CHUNK_STREAM_BY_TYPE: Record<number, number> = {
  [TAG_TYPE.audio]: 4,
  [TAG_TYPE.video]: 5,
  [TAG_TYPE.script]: 6,
};
/** A type-0 chunk header: basic header (1 byte for chunk streams 2–63) and the 11-byte message header. */
const TYPE0_HEADER_BYTES = 12;
const STREAM_ID_OFFSET = 8;
const EXTENDED_TIMESTAMP = 0xffffff;

/**
 * One tag as an RTMP message: a type-0 chunk, then type-3 chunks every `chunkSize` bytes. Timestamps
 * at or past 0xFFFFFF go in the extended field, repeated in every chunk as the spec says; any input is
 * taken modulo 2^32, so no timestamp can fail to serialize.
 */
export function serializeRtmpMessage(
  tag: Pick<MediaTag, "type" | "timestamp" | "body">,
  streamId = RTMP_PLAY_STREAM_ID,
  chunkSize = RTMP_OUT_CHUNK_SIZE,
): Buffer {
  const timestamp = toTimestamp(tag.timestamp);
  const isExtended = timestamp >= EXTENDED_TIMESTAMP;
  const extendedBytes = isExtended ? 4 : 0;
  const bodyBytes = tag.body.length;
  const continuations = bodyBytes === 0 ? 0 : Math.ceil(bodyBytes / chunkSize) - 1;
  const message = Buffer.allocUnsafe(
    TYPE0_HEADER_BYTES + extendedBytes + bodyBytes + continuations * (1 + extendedBytes),
  );
  const chunkStream = CHUNK_STREAM_BY_TYPE[tag.type] ?? CHUNK_STREAM_BY_TYPE[TAG_TYPE.script]!;
  message[0] = chunkStream;
  message.writeUIntBE(isExtended ? EXTENDED_TIMESTAMP : timestamp, 1, 3);
  message.writeUIntBE(bodyBytes, 4, 3);
  message[7] = tag.type;
  message.writeUInt32LE(streamId >>> 0, STREAM_ID_OFFSET);
  let offset = TYPE0_HEADER_BYTES;
  if (isExtended) offset = message.writeUInt32BE(timestamp, offset);
  for (let start = 0; start < bodyBytes; start += chunkSize) {
    if (start > 0) {
      message[offset++] = 0xc0 | chunkStream;
      if (isExtended) offset = message.writeUInt32BE(timestamp, offset);
    }
    offset += tag.body.copy(message, offset, start, Math.min(bodyBytes, start + chunkSize));
  }
  return message;
}

/** A copy of a message written by `serializeRtmpMessage`, for a player on another message stream id. */
export function withStreamId(message: Buffer, streamId: number): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt32LE(streamId >>> 0, STREAM_ID_OFFSET);
  return copy;
}
