/**
 * A recorded client→server RTMP byte stream, taken apart into its handshake and messages so that the
 * fuzzer can change them as RTMP (chunk sizes, chunk streams, lengths, timestamps) and put them back
 * together. Only for the corpus, which is well-formed: no limits, no recovery.
 */
export type RtmpSessionMessage = {
  csid: number;
  type: number;
  streamId: number;
  timestamp: number;
  payload: Buffer;
};

export type RtmpSession = { handshake: Buffer; messages: RtmpSessionMessage[] };

const HANDSHAKE_BYTES = 1 + 1536 + 1536;
const SET_CHUNK_SIZE = 1;

export function parseRtmpSession(bytes: Buffer): RtmpSession {
  const messages: RtmpSessionMessage[] = [];
  const previous = new Map<number, RtmpSessionMessage & { length: number; delta: number }>();
  const partial = new Map<number, Buffer[]>();
  let chunkSize = 128;
  let offset = HANDSHAKE_BYTES;
  while (offset < bytes.length) {
    const first = bytes[offset++]!;
    const fmt = first >> 6;
    let csid = first & 0x3f;
    if (csid === 0) csid = 64 + bytes[offset++]!;
    else if (csid === 1) {
      csid = 64 + bytes[offset]! + bytes[offset + 1]! * 256;
      offset += 2;
    }
    const last = previous.get(csid) ?? {
      csid,
      type: 0,
      streamId: 0,
      timestamp: 0,
      payload: Buffer.alloc(0),
      length: 0,
      delta: 0,
    };
    let header = { ...last };
    let stamp = 0;
    if (fmt <= 2) {
      stamp = bytes.readUIntBE(offset, 3);
      offset += 3;
    }
    if (fmt <= 1) {
      header.length = bytes.readUIntBE(offset, 3);
      header.type = bytes[offset + 3]!;
      offset += 4;
    }
    if (fmt === 0) {
      header.streamId = bytes.readUInt32LE(offset);
      offset += 4;
    }
    const isExtended = fmt <= 2 ? stamp === 0xffffff : last.delta >= 0xffffff;
    if (isExtended) {
      stamp = bytes.readUInt32BE(offset);
      offset += 4;
    }
    const isContinuation = partial.has(csid);
    if (!isContinuation) {
      if (fmt === 0) header.timestamp = stamp;
      else if (fmt <= 2) header = { ...header, timestamp: (last.timestamp + stamp) >>> 0, delta: stamp };
      else header.timestamp = (last.timestamp + last.delta) >>> 0;
      if (fmt === 0) header.delta = stamp;
    }
    const parts = partial.get(csid) ?? [];
    const received = parts.reduce((sum, part) => sum + part.length, 0);
    const take = Math.min(chunkSize, header.length - received, bytes.length - offset);
    parts.push(bytes.subarray(offset, offset + take));
    offset += take;
    previous.set(csid, isContinuation ? { ...last } : header);
    if (received + take < header.length) {
      partial.set(csid, parts);
      continue;
    }
    partial.delete(csid);
    const message = { ...(isContinuation ? last : header), payload: Buffer.concat(parts) };
    const { csid: id, type, streamId, timestamp, payload } = message;
    messages.push({ csid: id, type, streamId, timestamp, payload });
    if (type === SET_CHUNK_SIZE) chunkSize = payload.readUInt32BE(0) & 0x7fffffff;
  }
  return { handshake: bytes.subarray(0, HANDSHAKE_BYTES), messages };
}

/**
 * One message as a type-0 chunk and type-3 continuations of `chunkSize`, the extended timestamp where
 * due: one allocation, returned as one view per chunk (so that chunks of two messages can interleave).
 */
export function chunkMessage(
  message: RtmpSessionMessage,
  chunkSize: number,
  announcedLength = message.payload.length,
): Buffer[] {
  const { csid, type, streamId, payload } = message;
  const timestamp = message.timestamp >>> 0;
  const isExtended = timestamp >= 0xffffff;
  const basicBytes = csid < 64 ? 1 : csid < 320 ? 2 : 3;
  const continuationBytes = basicBytes + (isExtended ? 4 : 0);
  const continuations = payload.length === 0 ? 0 : Math.ceil(payload.length / chunkSize) - 1;
  const bytes = Buffer.allocUnsafe(
    basicBytes + 11 + continuationBytes - basicBytes + payload.length + continuations * continuationBytes,
  );
  const writeBasic = (fmt: number, at: number) => {
    if (basicBytes === 1) bytes[at] = (fmt << 6) | csid;
    else if (basicBytes === 2) bytes.set([fmt << 6, csid - 64], at);
    else bytes.set([(fmt << 6) | 1, (csid - 64) & 0xff, (csid - 64) >> 8], at);
    let offset = at + basicBytes;
    if (fmt === 0) {
      bytes.writeUIntBE(isExtended ? 0xffffff : timestamp, offset, 3);
      bytes.writeUIntBE(announcedLength & 0xffffff, offset + 3, 3);
      bytes[offset + 6] = type;
      bytes.writeUInt32LE(streamId >>> 0, offset + 7);
      offset += 11;
    }
    return isExtended ? bytes.writeUInt32BE(timestamp, offset) : offset;
  };
  const chunks: Buffer[] = [];
  let offset = 0;
  for (let start = 0; start === 0 || start < payload.length; start += chunkSize) {
    const chunkStart = offset;
    offset = writeBasic(start === 0 ? 0 : 3, offset);
    offset += payload.copy(bytes, offset, start, Math.min(payload.length, start + chunkSize));
    chunks.push(bytes.subarray(chunkStart, offset));
    if (payload.length === 0) break;
  }
  return chunks;
}
