import { randomBytes } from "node:crypto";
import { encodeAmf0, type Amf0Value } from "./amf0.ts";

export const HANDSHAKE_BYTES = 1536;
const RTMP_VERSION = 3;
/** Chunk size for what the player sends; it never announces another. */
const CHUNK_SIZE = 128;
const TYPE_COMMAND_AMF0 = 20;
const COMMAND_CHUNK_STREAM = 3;
const PLAY_CHUNK_STREAM = 8;

/** C0 and C1 of the simple handshake: version, then time, zeros and random bytes. */
export function handshakeStart(): Buffer {
  const c1 = randomBytes(HANDSHAKE_BYTES);
  c1.writeUInt32BE(0, 0);
  c1.writeUInt32BE(0, 4);
  return Buffer.concat([Buffer.from([RTMP_VERSION]), c1]);
}

export function connectCommand(tcUrl: string, app: string): Buffer {
  return command(COMMAND_CHUNK_STREAM, 0, [
    "connect",
    1,
    {
      app,
      type: "nonprivate",
      flashVer: "LNX 9,0,124,2",
      tcUrl,
      fpad: false,
      capabilities: 15,
      objectEncoding: 0,
    },
  ]);
}

export function createStreamCommand(): Buffer {
  return command(COMMAND_CHUNK_STREAM, 0, ["createStream", 2, null]);
}

export function playCommand(streamId: number, streamName: string): Buffer {
  return command(PLAY_CHUNK_STREAM, streamId, ["play", 0, null, streamName, -2]);
}

/** One AMF0 command message, chunked (type 0 header, then type 3 continuation headers). */
function command(chunkStreamId: number, streamId: number, values: Amf0Value[]): Buffer {
  const payload = encodeAmf0(values);
  const header = Buffer.alloc(12);
  header[0] = chunkStreamId;
  header.writeUIntBE(0, 1, 3);
  header.writeUIntBE(payload.length, 4, 3);
  header[7] = TYPE_COMMAND_AMF0;
  header.writeUInt32LE(streamId, 8);
  const parts: Buffer[] = [header];
  for (let offset = 0; offset < payload.length; offset += CHUNK_SIZE) {
    if (offset > 0) parts.push(Buffer.from([0xc0 | chunkStreamId]));
    parts.push(payload.subarray(offset, offset + CHUNK_SIZE));
  }
  return Buffer.concat(parts);
}
