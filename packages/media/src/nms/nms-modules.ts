import { createRequire } from "node:module";

/**
 * The node-media-server 4.4.3 internals we use, typed by us (the package ships no types). Only the RTMP
 * protocol state machine (parser and command answers) and the logger: none of NMS's servers,
 * sessions, broadcast fanout, store, recorder or signal handlers is ever constructed.
 */
const require = createRequire(import.meta.url);

export type NmsAvPacket = {
  codec_id: number;
  codec_type: number;
  flags: number;
  pts: number;
  dts: number;
  size: number;
  data: Buffer;
};

export type NmsRtmpRequest = { app: string; name: string; host: string; query: Record<string, unknown> };

export type NmsRtmpPacket = {
  header: { fmt: number; cid: number; timestamp: number; length: number; type: number; stream_id: number };
};

/** `protocol/rtmp.js`: handshake, chunk stream, commands. */
export type NmsRtmp = {
  streamId: number;
  inChunkSize: number;
  inPackets: Map<number, { capacity: number }>;
  parserPacket: NmsRtmpPacket & { payload: Buffer; bytes: number; capacity: number };
  onConnectCallback: (request: NmsRtmpRequest) => void;
  onPlayCallback: () => void;
  onPushCallback: () => void;
  onPacketCallback: (packet: NmsAvPacket) => void;
  onOutputCallback: (buffer: Buffer) => void;
  parserData(buffer: Buffer): string | null;
  controlHandler(): void;
  packetParse(): void;
  packetAlloc(): void;
  respondPublish(): void;
  respondPlay(): void;
  sendStatusMessage(streamId: number, level: string, code: string, description: string): void;
};

export const Rtmp = loadRtmpWithoutFlvParser() as { new (): NmsRtmp };

/**
 * NMS's Rtmp constructor builds an FLV stream parser it never uses, with a 1 MiB buffer: a megabyte
 * per RTMP connection, before any authentication. rtmp.js is loaded against a stand-in Flv that keeps
 * the static tag parser it does use and allocates nothing.
 */
function loadRtmpWithoutFlvParser(): unknown {
  const flvPath = require.resolve("node-media-server/src/protocol/flv.js");
  const Flv = require(flvPath) as { parserTag: unknown };
  const flvModule = require.cache[flvPath]!;
  flvModule.exports = Object.assign(function UnusedFlvParser() {}, { parserTag: Flv.parserTag });
  try {
    return require("node-media-server/src/protocol/rtmp.js");
  } finally {
    flvModule.exports = Flv;
  }
}

export const nmsLogger = require("node-media-server/src/core/logger.js") as {
  level: string;
  log(message: string, level?: string): void;
};
