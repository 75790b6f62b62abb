import { describe, expect, it } from "vitest";
import { readStreamMetadata } from "./stream-metadata.ts";

function amfString(value: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(value.length);
  return Buffer.concat([Buffer.from([0x02]), length, Buffer.from(value, "latin1")]);
}

/** onMetaData with an ECMA array: 0x08, u32 count, then (u16 length, key, 0x00, float64 BE) pairs, then 0 0 9. */
function onMetaData(fields: Record<string, number>): Buffer {
  const entries = Object.entries(fields);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  const pairs = entries.map(([key, value]) => {
    const number = Buffer.alloc(9);
    number.writeDoubleBE(value, 1);
    return Buffer.concat([amfString(key).subarray(1), number]);
  });
  return Buffer.concat([
    amfString("onMetaData"),
    Buffer.from([0x08]),
    count,
    ...pairs,
    Buffer.from([0, 0, 9]),
  ]);
}

describe("readStreamMetadata", () => {
  it("reads the fields of an onMetaData body", () => {
    expect(readStreamMetadata(onMetaData({ width: 1280, height: 720, framerate: 30 }))).toEqual({
      width: 1280,
      height: 720,
      framerate: 30,
    });
  });

  it("returns null for another script command", () => {
    expect(readStreamMetadata(Buffer.concat([amfString("onCuePoint"), Buffer.from([0x05])]))).toBeNull();
  });

  it("reads nested objects, strict arrays, strings, booleans and null", () => {
    const body = Buffer.concat([
      amfString("onMetaData"),
      Buffer.from([0x03]),
      amfString("encoder").subarray(1),
      amfString("obs"),
      amfString("stereo").subarray(1),
      Buffer.from([0x01, 0x01]),
      amfString("list").subarray(1),
      Buffer.from([0x0a, 0, 0, 0, 2, 0x05, 0x01, 0x00]),
      Buffer.from([0, 0, 9]),
    ]);
    expect(readStreamMetadata(body)).toEqual({ encoder: "obs", stereo: true, list: [null, false] });
  });

  it("returns null for truncated or absurdly nested AMF", () => {
    const whole = onMetaData({ width: 1280 });
    for (let length = 0; length < whole.length - 3; length += 1) {
      expect(readStreamMetadata(whole.subarray(0, length))).toBeNull();
    }
    const deep = Buffer.concat([amfString("onMetaData"), Buffer.alloc(100_000, 0x0a)]);
    expect(readStreamMetadata(deep)).toBeNull();
  });

  it("returns null for bytes that are not AMF", () => {
    expect(readStreamMetadata(Buffer.from([0xff, 0xfe, 0xfd]))).toBeNull();
    expect(readStreamMetadata(Buffer.alloc(0))).toBeNull();
  });
});
