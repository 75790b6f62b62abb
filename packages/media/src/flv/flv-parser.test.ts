import { describe, expect, it } from "vitest";
import { classifyTag } from "./classify-tag.ts";
import { FlvParser, MAX_TAG_BODY_BYTES, type FlvParseResult } from "./flv-parser.ts";
import { FLV_HEADER, serializeFlvTag } from "./flv-tag.ts";
import { TAG_TYPE, type MediaTag, type TTagType } from "./media-tag.ts";
import { ProtocolError } from "./protocol-error.ts";

function tag(type: TTagType, timestamp: number, body: number[]): MediaTag {
  const buffer = Buffer.from(body);
  return { type, kind: classifyTag(type, buffer), timestamp, body: buffer };
}

/** A small but varied stream: metadata, sequence headers, a GOP, audio, and one extended timestamp. */
const TAGS: MediaTag[] = [
  tag(TAG_TYPE.script, 0, [0x02, 0x00, 0x0a, ...Buffer.from("onMetaData"), 0x05]),
  tag(TAG_TYPE.video, 0, [0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1f]),
  tag(TAG_TYPE.audio, 0, [0xaf, 0x00, 0x12, 0x10]),
  tag(TAG_TYPE.video, 0, [0x17, 0x01, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
  tag(TAG_TYPE.audio, 21, [0xaf, 0x01, 9, 9, 9]),
  tag(TAG_TYPE.video, 40, [0x27, 0x01, 0, 0, 0, 8, 7, 6]),
  tag(TAG_TYPE.video, 80, []),
  tag(TAG_TYPE.video, 0x01020304, [0x27, 0x01, 0, 0, 0, 0xee]),
];

function stream(tags: MediaTag[] = TAGS): Buffer {
  return Buffer.concat([FLV_HEADER, ...tags.map(serializeFlvTag)]);
}

function tagsOf(result: FlvParseResult): MediaTag[] {
  if (!result.ok) throw result.error;
  return result.tags;
}

function parseAll(chunks: Buffer[]): MediaTag[] {
  const parser = new FlvParser();
  return chunks.flatMap((chunk) => tagsOf(parser.push(chunk)));
}

function errorOf(result: FlvParseResult): ProtocolError {
  if (result.ok) throw new Error(`expected a failure, got ${result.tags.length} tags`);
  return result.error;
}

/** An 11-byte tag header followed by the body and a PreviousTagSize that may be wrong on purpose. */
function rawTag(typeByte: number, body: Buffer, timestampBytes = [0, 0, 0, 0], previousTagSize?: number) {
  const header = Buffer.alloc(11);
  header[0] = typeByte;
  header.writeUIntBE(body.length, 1, 3);
  Buffer.from(timestampBytes).copy(header, 4);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(previousTagSize ?? 11 + body.length);
  return Buffer.concat([header, body, trailer]);
}

describe("FlvParser", () => {
  it("parses the FLV file header and then every tag of a stream", () => {
    const parser = new FlvParser();
    expect(tagsOf(parser.push(Buffer.from(FLV_HEADER)))).toEqual([]);
    expect(tagsOf(parser.push(Buffer.concat(TAGS.map(serializeFlvTag))))).toEqual(TAGS);
  });

  it("parses a stream split at every possible byte boundary identically", () => {
    const bytes = stream();
    const whole = parseAll([bytes]);
    expect(whole).toEqual(TAGS);
    for (let split = 0; split <= bytes.length; split += 1) {
      expect(parseAll([bytes.subarray(0, split), bytes.subarray(split)])).toEqual(whole);
    }
  });

  it("parses a stream fed one byte at a time", () => {
    const bytes = stream();
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    expect(parseAll(chunks)).toEqual(TAGS);
  });

  it("parses a stream split in three at many boundary pairs identically", () => {
    const bytes = stream();
    for (let first = 0; first <= bytes.length; first += 3) {
      for (let second = first; second <= bytes.length; second += 7) {
        const chunks = [bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)];
        expect(parseAll(chunks)).toEqual(TAGS);
      }
    }
  });

  it("copies tag bodies, so the caller may reuse its input buffers", () => {
    const bytes = stream();
    const parser = new FlvParser();
    const tags = tagsOf(parser.push(bytes));
    bytes.fill(0);
    expect(tags).toEqual(TAGS);
  });

  it("reads timestamps with the extended (most significant) byte", () => {
    const parser = new FlvParser();
    parser.push(Buffer.from(FLV_HEADER));
    const tags = tagsOf(
      parser.push(
        Buffer.concat([
          rawTag(TAG_TYPE.audio, Buffer.from([0xaf, 0x01]), [0x34, 0x56, 0x78, 0x12]),
          rawTag(TAG_TYPE.audio, Buffer.from([0xaf, 0x01]), [0xff, 0xff, 0xff, 0xff]),
          rawTag(TAG_TYPE.audio, Buffer.from([0xaf, 0x01]), [0x00, 0x00, 0x01, 0x80]),
        ]),
      ),
    );
    expect(tags.map((parsed) => parsed.timestamp)).toEqual([0x12345678, 0xffffffff, 0x80000001]);
  });

  it("round-trips serializeFlvTag for timestamps across the 24-bit boundary", () => {
    const timestamps = [0, 1, 0xfffffe, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xffffffff];
    const tags = timestamps.map((timestamp) => tag(TAG_TYPE.video, timestamp, [0x27, 0x01, 0, 0, 0, 1]));
    expect(parseAll([stream(tags)])).toEqual(tags);
  });

  it("skips a file header that announces extra header bytes", () => {
    const header = Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x05, 0, 0, 0, 12, 0xaa, 0xbb, 0xcc, 0, 0, 0, 0]);
    const body = Buffer.concat(TAGS.map(serializeFlvTag));
    expect(parseAll([header, body])).toEqual(TAGS);
  });

  it("rejects a stream that is not FLV with NOT_FLV", () => {
    const parser = new FlvParser();
    const error = errorOf(parser.push(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe("NOT_FLV");
  });

  it("rejects a file header announcing an absurd header size", () => {
    for (const headerBytes of [0, 8, 65, 0xffffffff]) {
      const header = Buffer.from(FLV_HEADER);
      header.writeUInt32BE(headerBytes, 5);
      const error = errorOf(new FlvParser().push(header));
      expect(error.code).toBe("BAD_HEADER_SIZE");
      expect(error.details).toEqual({ headerBytes });
    }
  });

  it("rejects a bad tag type with BAD_TAG_TYPE and the stream offset of the tag", () => {
    const parser = new FlvParser();
    const good = serializeFlvTag(TAGS[2]!);
    expect(tagsOf(parser.push(Buffer.concat([FLV_HEADER, good])))).toHaveLength(1);
    const error = errorOf(parser.push(rawTag(7, Buffer.from([1, 2, 3]))));
    expect(error.code).toBe("BAD_TAG_TYPE");
    expect(error.details).toEqual({ offset: FLV_HEADER.length + good.length, type: 7 });
  });

  it("rejects a tag announcing more than 8 MB before its body arrives", () => {
    const parser = new FlvParser();
    parser.push(Buffer.from(FLV_HEADER));
    const header = Buffer.alloc(11);
    header[0] = TAG_TYPE.video;
    header.writeUIntBE(MAX_TAG_BODY_BYTES + 1, 1, 3);
    const error = errorOf(parser.push(header));
    expect(error.code).toBe("BAD_TAG_SIZE");
    expect(error.details).toMatchObject({ bodyBytes: MAX_TAG_BODY_BYTES + 1 });
  });

  it("accepts a tag of exactly 8 MB", () => {
    const body = Buffer.alloc(MAX_TAG_BODY_BYTES, 0x01);
    body[0] = 0x27;
    const tags = parseAll([stream([{ type: TAG_TYPE.video, kind: "interframe", timestamp: 3, body }])]);
    expect(tags).toHaveLength(1);
    expect(tags[0]!.body.length).toBe(MAX_TAG_BODY_BYTES);
  });

  it("rejects a PreviousTagSize that does not match the tag with BAD_TAG_SIZE", () => {
    const parser = new FlvParser();
    parser.push(Buffer.from(FLV_HEADER));
    const error = errorOf(parser.push(rawTag(TAG_TYPE.audio, Buffer.from([0xaf, 0x01, 5]), undefined, 99)));
    expect(error.code).toBe("BAD_TAG_SIZE");
    expect(error.details).toEqual({ offset: FLV_HEADER.length, bodyBytes: 3, previousTagSize: 99 });
  });

  it("stays failed once it has failed", () => {
    const parser = new FlvParser();
    const first = errorOf(parser.push(Buffer.from("not an flv stream")));
    const second = errorOf(parser.push(stream()));
    expect(second).toBe(first);
  });

  it("reports the absolute stream offset of a failure after several pushes", () => {
    const parser = new FlvParser();
    const good = stream(TAGS.slice(0, 3));
    for (const byte of good) tagsOf(parser.push(Buffer.from([byte])));
    const error = errorOf(parser.push(rawTag(0x1f, Buffer.alloc(2))));
    expect(error.details).toMatchObject({ offset: good.length, type: 0x1f });
  });

  it("keeps nothing but the incomplete tag between pushes", () => {
    const parser = new FlvParser();
    const bytes = stream();
    const cut = bytes.length - 3;
    const tags = tagsOf(parser.push(bytes.subarray(0, cut)));
    expect(tags).toEqual(TAGS.slice(0, -1));
    expect(tagsOf(parser.push(bytes.subarray(cut)))).toEqual(TAGS.slice(-1));
  });
});
