import { createLogger } from "@relaycast/logger";
import { beforeAll, describe, expect, it } from "vitest";
import { classifyTag } from "../flv/classify-tag.ts";
import { TAG_TYPE, type MediaTag, type TTagType } from "../flv/media-tag.ts";
import { ProtocolError } from "../flv/protocol-error.ts";
import { routeNmsLogging } from "./nms-logging.ts";
import { RTMP_PLAY_STREAM_ID, serializeRtmpMessage, withStreamId } from "../rtmp/rtmp-message.ts";
import { RtmpProtocol, type RtmpStreamRequest } from "./rtmp-protocol.ts";

const HANDSHAKE_BYTES = 1536;
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

beforeAll(() => {
  // Garbage makes NMS's parser log through console.log; keep the test output clean.
  routeNmsLogging(createLogger({ name: "test", level: "silent" }));
});

// --- AMF0, just enough for RTMP commands --------------------------------------------------------

type Amf = string | number | boolean | null | { [key: string]: Amf };

function amfKey(key: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(Buffer.byteLength(key));
  return Buffer.concat([length, Buffer.from(key)]);
}

function amf(value: Amf): Buffer {
  if (value === null) return Buffer.from([0x05]);
  if (typeof value === "string") return Buffer.concat([Buffer.from([0x02]), amfKey(value)]);
  if (typeof value === "boolean") return Buffer.from([0x01, value ? 1 : 0]);
  if (typeof value === "number") {
    const number = Buffer.alloc(9);
    number.writeDoubleBE(value, 1);
    return number;
  }
  const fields = Object.entries(value).map(([key, field]) => Buffer.concat([amfKey(key), amf(field)]));
  return Buffer.concat([Buffer.from([0x03]), ...fields, Buffer.from([0x00, 0x00, 0x09])]);
}

// --- RTMP chunks -------------------------------------------------------------------------------

/** C0 (version 3) and a C1 that selects the simple handshake; C2 follows once S0S1S2 are out. */
const C0_C1 = Buffer.concat([Buffer.from([0x03]), Buffer.alloc(HANDSHAKE_BYTES)]);
const C2 = Buffer.alloc(HANDSHAKE_BYTES);

/** One message in one type-0 chunk (the payload must fit in the chunk size in force). */
function message(
  cid: number,
  type: number,
  payload: Buffer,
  { streamId = 0, timestamp = 0, length = payload.length } = {},
) {
  const header = Buffer.alloc(12);
  header[0] = cid;
  header.writeUIntBE(timestamp, 1, 3);
  header.writeUIntBE(length, 4, 3);
  header[7] = type;
  header.writeUInt32LE(streamId, 8);
  return Buffer.concat([header, payload]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

const setChunkSize = (size: number) => message(2, 1, u32(size));
const command = (streamId: number, ...values: Amf[]) =>
  message(3, 20, Buffer.concat(values.map(amf)), { streamId });
const connect = () => command(0, "connect", 1, { app: "live", tcUrl: "rtmp://127.0.0.1:1935/live" });
const createStream = () => command(0, "createStream", 2, null);

type Session = {
  protocol: RtmpProtocol;
  outputs: Buffer[];
  tags: MediaTag[];
  publishes: RtmpStreamRequest[];
  plays: RtmpStreamRequest[];
  output(): string;
};

function session(): Session {
  const result: Session = {
    outputs: [],
    tags: [],
    publishes: [],
    plays: [],
    output: () => Buffer.concat(result.outputs).toString("latin1"),
    protocol: new RtmpProtocol({
      output: (buffer) => result.outputs.push(buffer),
      publish: (request) => result.publishes.push(request),
      play: (request) => result.plays.push(request),
      tag: (tag) => result.tags.push(tag),
    }),
  };
  return result;
}

/** A session past the handshake, with the outputs of the handshake forgotten. */
function handshaken(): Session {
  const peer = session();
  peer.protocol.receive(C0_C1);
  peer.protocol.receive(C2);
  peer.outputs.length = 0;
  return peer;
}

function publishing(name = "live_key"): Session {
  const peer = handshaken();
  peer.protocol.receive(
    Buffer.concat([connect(), createStream(), command(1, "publish", 3, null, name, "live")]),
  );
  return peer;
}

function tag(type: TTagType, timestamp: number, body: Buffer): MediaTag {
  return { type, kind: classifyTag(type, body), timestamp, body };
}

function protocolErrorOf(run: () => void): ProtocolError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error("expected a ProtocolError");
}

/** A small deterministic PRNG (mulberry32), so garbage is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

describe("RtmpProtocol", () => {
  describe("handshake and commands", () => {
    it("answers C0+C1 with S0+S1+S2 of the simple handshake", () => {
      const peer = session();
      peer.protocol.receive(C0_C1);
      const out = Buffer.concat(peer.outputs);
      expect(out.length).toBe(1 + 2 * HANDSHAKE_BYTES);
      expect(out[0]).toBe(0x03);
    });

    it("completes the handshake whatever the pieces the bytes arrive in", () => {
      const peer = session();
      const bytes = Buffer.concat([C0_C1, C2, connect()]);
      for (let offset = 0; offset < bytes.length; offset += 997)
        peer.protocol.receive(bytes.subarray(offset, offset + 997));
      expect(peer.output()).toContain("NetConnection.Connect.Success");
    });

    it("reports a publish request and withholds the answer until it is accepted", () => {
      const peer = publishing("live_secretkey");
      expect(peer.publishes).toEqual([{ app: "live", name: "live_secretkey" }]);
      expect(peer.output()).toContain("NetConnection.Connect.Success");
      expect(peer.output()).not.toContain("NetStream.Publish.Start");
      peer.protocol.acceptPublish();
      expect(peer.output()).toContain("NetStream.Publish.Start");
    });

    it("turns what NMS throws on unreadable AMF or commands into a ProtocolError", () => {
      const truncatedObject = Buffer.concat([amf("connect"), amf(1), Buffer.from([0x03, 0x00, 0x03, 0x61])]);
      const badUrl = command(0, "connect", 1, { app: "live", tcUrl: "not a url" });
      for (const bytes of [message(3, 20, truncatedObject), badUrl]) {
        const peer = handshaken();
        expect(protocolErrorOf(() => peer.protocol.receive(bytes)).code).toBe("RTMP_MALFORMED");
      }
    });

    it("passes on what its own handlers throw, unchanged: a fault of ours, not of the peer's bytes", () => {
      const fault = new RangeError("a bug of ours");
      const peer = new RtmpProtocol({
        output: () => {},
        publish: () => {
          throw fault;
        },
        play: () => {},
        tag: () => {},
      });
      peer.receive(C0_C1);
      peer.receive(C2);
      expect(() =>
        peer.receive(Buffer.concat([connect(), createStream(), command(1, "publish", 3, null, "k", "live")])),
      ).toThrow(fault);
    });

    it("strips the query string from the stream name", () => {
      const peer = publishing("live_key?token=abc");
      expect(peer.publishes).toEqual([{ app: "live", name: "live_key" }]);
    });

    it("tells a refused publisher why, without ever accepting it", () => {
      const peer = publishing();
      peer.protocol.refuse("NetStream.Publish.BadName", "Invalid stream key.");
      expect(peer.output()).toContain("NetStream.Publish.BadName");
      expect(peer.output()).toContain("Invalid stream key.");
      expect(peer.output()).not.toContain("NetStream.Publish.Start");
    });

    it("reports a play request and withholds the answer until it is accepted", () => {
      const peer = handshaken();
      peer.protocol.receive(Buffer.concat([connect(), createStream(), command(1, "play", 3, null, "alice")]));
      expect(peer.plays).toEqual([{ app: "live", name: "alice" }]);
      expect(peer.output()).not.toContain("NetStream.Play.Start");
      peer.protocol.acceptPlay();
      expect(peer.output()).toContain("NetStream.Play.Start");
    });

    it("turns a publisher's audio, video and data messages into tags, unwrapping @setDataFrame", () => {
      const peer = publishing();
      peer.protocol.acceptPublish();
      const onMetaData = Buffer.concat([amf("onMetaData"), Buffer.from([0x08, 0, 0, 0, 0, 0, 0, 9])]);
      peer.protocol.receive(
        Buffer.concat([
          message(4, 18, Buffer.concat([amf("@setDataFrame"), onMetaData]), { streamId: 1 }),
          message(6, 9, Buffer.from([0x17, 0, 0, 0, 0, 1, 0x64]), { streamId: 1 }),
          message(4, 8, Buffer.from([0xaf, 0, 0x12, 0x10]), { streamId: 1 }),
          message(6, 9, Buffer.from([0x17, 1, 0, 0, 0, 0x65]), { streamId: 1, timestamp: 40 }),
        ]),
      );
      expect(peer.tags).toEqual([
        tag(TAG_TYPE.script, 0, onMetaData),
        tag(TAG_TYPE.video, 0, Buffer.from([0x17, 0, 0, 0, 0, 1, 0x64])),
        tag(TAG_TYPE.audio, 0, Buffer.from([0xaf, 0, 0x12, 0x10])),
        tag(TAG_TYPE.video, 40, Buffer.from([0x17, 1, 0, 0, 0, 0x65])),
      ]);
      expect(peer.tags.map((each) => each.kind)).toEqual([
        "metadata",
        "video-header",
        "audio-header",
        "keyframe",
      ]);
    });

    it("copies tag bodies out of the parser's reusable buffer", () => {
      const peer = publishing();
      peer.protocol.receive(message(4, 8, Buffer.from([0xaf, 1, 1, 1]), { streamId: 1 }));
      peer.protocol.receive(message(4, 8, Buffer.from([0xaf, 1, 2, 2]), { streamId: 1 }));
      expect(peer.tags.map((each) => [...each.body])).toEqual([
        [0xaf, 1, 1, 1],
        [0xaf, 1, 2, 2],
      ]);
    });
  });

  describe("limits", () => {
    it("throws BAD_CHUNK_SIZE on a Set Chunk Size of 0", () => {
      const peer = handshaken();
      const error = protocolErrorOf(() => peer.protocol.receive(setChunkSize(0)));
      expect(error.code).toBe("BAD_CHUNK_SIZE");
      expect(error.details).toEqual({ size: 0 });
    });

    it("throws BAD_CHUNK_SIZE on a Set Chunk Size with the reserved top bit set", () => {
      const peer = handshaken();
      expect(protocolErrorOf(() => peer.protocol.receive(setChunkSize(0x80000000))).code).toBe(
        "BAD_CHUNK_SIZE",
      );
    });

    it("accepts a valid Set Chunk Size and reads larger chunks after it", () => {
      const peer = publishing();
      const body = Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), Buffer.alloc(3_000, 7)]);
      peer.protocol.receive(Buffer.concat([setChunkSize(4_096), message(6, 9, body, { streamId: 1 })]));
      expect(peer.tags).toEqual([tag(TAG_TYPE.video, 0, body)]);
    });

    it("throws MESSAGE_TOO_LARGE on a message announcing more than 8 MB, before its payload", () => {
      const peer = handshaken();
      const error = protocolErrorOf(() =>
        peer.protocol.receive(message(6, 9, Buffer.from([0x17]), { length: MAX_MESSAGE_BYTES + 1 })),
      );
      expect(error.code).toBe("MESSAGE_TOO_LARGE");
      expect(error.details).toEqual({ length: MAX_MESSAGE_BYTES + 1 });
    });

    it("accepts a message announcing exactly 8 MB from an admitted publisher", () => {
      const peer = publishing();
      peer.protocol.acceptPublish();
      expect(() =>
        peer.protocol.receive(message(6, 9, Buffer.from([0x17]), { length: MAX_MESSAGE_BYTES })),
      ).not.toThrow();
    });

    it("lets a peer that is not an admitted publisher reserve only a small budget (MEMORY_BUDGET)", () => {
      const peer = publishing();
      const error = protocolErrorOf(() =>
        peer.protocol.receive(message(6, 9, Buffer.from([0x17]), { length: 4 * 1024 * 1024 })),
      );
      expect(error.code).toBe("MEMORY_BUDGET");
    });

    it("bounds what all chunk streams of a publisher reserve together (MEMORY_BUDGET)", () => {
      const peer = publishing();
      peer.protocol.acceptPublish();
      // One-byte chunks: each message's first chunk ends after one byte, and the next chunk stream opens.
      peer.protocol.receive(setChunkSize(1));
      const error = protocolErrorOf(() => {
        for (let cid = 4; cid < 4 + 8; cid += 1) {
          peer.protocol.receive(message(cid, 9, Buffer.from([0x17]), { length: MAX_MESSAGE_BYTES }));
        }
      });
      expect(error.code).toBe("MEMORY_BUDGET");
    });

    it("accepts 16 chunk streams and throws TOO_MANY_CHUNK_STREAMS on the 17th", () => {
      const peer = handshaken();
      const acknowledgement = (cid: number) => message(cid, 3, u32(0));
      for (let cid = 3; cid < 3 + 16; cid += 1) peer.protocol.receive(acknowledgement(cid));
      const error = protocolErrorOf(() => peer.protocol.receive(acknowledgement(3 + 16)));
      expect(error.code).toBe("TOO_MANY_CHUNK_STREAMS");
    });

    it("throws or copes, and never hangs, on random garbage after the handshake", () => {
      const started = Date.now();
      let threw = 0;
      for (let seed = 1; seed <= 300; seed += 1) {
        const next = random(seed);
        const peer = handshaken();
        try {
          for (let piece = 0; piece < 8; piece += 1) {
            const garbage = Buffer.alloc(1 + Math.floor(next() * 2_048));
            for (let index = 0; index < garbage.length; index += 1) garbage[index] = Math.floor(next() * 256);
            peer.protocol.receive(garbage);
          }
        } catch {
          threw += 1;
        }
      }
      expect(threw).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it("throws or copes on garbage made of plausible chunk headers", () => {
      const next = random(42);
      for (let round = 0; round < 500; round += 1) {
        const peer = handshaken();
        const pieces: Buffer[] = [];
        for (let count = 0; count < 20; count += 1) {
          const cid = 2 + Math.floor(next() * 20);
          const type = [1, 3, 4, 5, 6, 8, 9, 18, 20][Math.floor(next() * 9)]!;
          const payload = Buffer.alloc(Math.floor(next() * 300), Math.floor(next() * 256));
          pieces.push(message(cid, type, payload, { length: Math.floor(next() * 400), streamId: 1 }));
        }
        try {
          peer.protocol.receive(Buffer.concat(pieces));
        } catch {
          // A protocol error closes the connection: that is a fine answer to garbage.
        }
      }
    });

    // A chunk header that restarts a chunk stream mid-message with a shorter length makes NMS's parser
    // step its read offset backwards, and parse again, as chunks, bytes it already took as payload.
    it("never parses bytes it already consumed as a message payload again as chunks", () => {
      const peer = publishing();
      peer.protocol.acceptPublish();
      const hidden = message(7, 9, Buffer.from([0x17, 0x01, 0, 0, 0, 0xba, 0xad]), { streamId: 1 });
      const payload = Buffer.alloc(128);
      hidden.copy(payload, 12);
      const smuggling = Buffer.concat([
        message(4, 8, payload, { streamId: 1, length: 200 }),
        message(4, 8, Buffer.alloc(0), { streamId: 1, length: 0 }),
        Buffer.from([0xc6]),
      ]);
      try {
        peer.protocol.receive(smuggling);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
      }
      expect(peer.tags.filter((each) => each.body.includes(Buffer.from([0xba, 0xad])))).toEqual([]);
    });
  });
});

describe("serializeRtmpMessage, read back by the RTMP parser", () => {
  /** What an RTMP peer reads back from our messages (NMS announces a 65535-byte chunk size). */
  function readBack(messages: Buffer[]): MediaTag[] {
    const peer = publishing();
    peer.protocol.acceptPublish();
    peer.protocol.receive(Buffer.concat([setChunkSize(0xffff), ...messages]));
    return peer.tags;
  }

  it("serializes tags as RTMP messages that read back identically", () => {
    const tags = [
      tag(TAG_TYPE.script, 0, Buffer.concat([amf("onMetaData"), Buffer.from([0x05])])),
      tag(TAG_TYPE.video, 0, Buffer.from([0x17, 0, 0, 0, 0, 1, 0x64])),
      tag(TAG_TYPE.audio, 0, Buffer.from([0xaf, 0, 0x12, 0x10])),
      tag(TAG_TYPE.video, 0, Buffer.concat([Buffer.from([0x17, 1, 0, 0, 0]), Buffer.alloc(70_000, 3)])),
      tag(TAG_TYPE.audio, 23, Buffer.from([0xaf, 1, 0x21])),
      tag(TAG_TYPE.video, 40, Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), Buffer.alloc(0xffff - 5, 4)])),
      tag(
        TAG_TYPE.video,
        80,
        Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), Buffer.alloc(2 * 0xffff - 5, 5)]),
      ),
    ];
    expect(readBack(tags.map((tag) => serializeRtmpMessage(tag)))).toEqual(tags);
  });

  it("serializes timestamps past 24 bits with the extended timestamp", () => {
    const tags = [
      tag(TAG_TYPE.video, 0xfffffe, Buffer.from([0x27, 1, 0, 0, 0, 1])),
      tag(TAG_TYPE.video, 0xffffff, Buffer.from([0x27, 1, 0, 0, 0, 2])),
      tag(
        TAG_TYPE.video,
        0x12345678,
        Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), Buffer.alloc(80_000, 6)]),
      ),
    ];
    expect(readBack(tags.map((tag) => serializeRtmpMessage(tag)))).toEqual(tags);
  });

  it("takes any timestamp modulo 2^32 instead of throwing", () => {
    const body = Buffer.from([0x27, 1, 0, 0, 0, 7]);
    const wrapped = tag(TAG_TYPE.video, 0x1_0000_0000 + 1234, body);
    expect(readBack([serializeRtmpMessage(wrapped)])).toEqual([tag(TAG_TYPE.video, 1234, body)]);
  });

  it("writes the player's message stream id, in the shared message and in a per-player copy", () => {
    const shared = serializeRtmpMessage(tag(TAG_TYPE.video, 40, Buffer.alloc(0x1_0000, 1)));
    expect(shared.readUInt32LE(8)).toBe(RTMP_PLAY_STREAM_ID);
    const copy = withStreamId(shared, 7);
    expect(copy.readUInt32LE(8)).toBe(7);
    expect(shared.readUInt32LE(8)).toBe(RTMP_PLAY_STREAM_ID);
    expect(copy.subarray(12)).toEqual(shared.subarray(12));
  });

  it("drops an empty message from a publisher (it carries nothing, and could not be re-sent), keeping the next", () => {
    const after = tag(TAG_TYPE.video, 40, Buffer.from([0x17, 1, 0, 0, 0, 9]));
    const emptyMessage = message(4, TAG_TYPE.audio, Buffer.alloc(0), { timestamp: 20 });
    expect(readBack([emptyMessage, serializeRtmpMessage(after)])).toEqual([after]);
  });
});
