import { describe, expect, it } from "vitest";
import { FLV_HEADER, serializeFlvTag, unwrapSetDataFrame } from "./flv-tag.ts";
import { TAG_TYPE } from "./media-tag.ts";

function amfString(value: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(value.length);
  return Buffer.concat([Buffer.from([0x02]), length, Buffer.from(value, "latin1")]);
}

describe("FLV_HEADER", () => {
  it("announces FLV version 1 with audio and video, a 9-byte header and PreviousTagSize0", () => {
    expect(FLV_HEADER.toString("latin1", 0, 3)).toBe("FLV");
    expect(FLV_HEADER[3]).toBe(1);
    expect(FLV_HEADER[4]).toBe(0x05);
    expect(FLV_HEADER.readUInt32BE(5)).toBe(9);
    expect(FLV_HEADER.readUInt32BE(9)).toBe(0);
    expect(FLV_HEADER.length).toBe(13);
  });
});

describe("serializeFlvTag", () => {
  it("writes the type, body size, split timestamp, stream id 0, body and PreviousTagSize", () => {
    const body = Buffer.from([0x27, 0x01, 0, 0, 0, 0xaa, 0xbb]);
    const bytes = serializeFlvTag({ type: TAG_TYPE.video, kind: "interframe", timestamp: 0x12345678, body });
    expect(bytes.length).toBe(11 + body.length + 4);
    expect(bytes[0]).toBe(TAG_TYPE.video);
    expect(bytes.readUIntBE(1, 3)).toBe(body.length);
    expect(bytes.readUIntBE(4, 3)).toBe(0x345678);
    expect(bytes[7]).toBe(0x12);
    expect(bytes.readUIntBE(8, 3)).toBe(0);
    expect(bytes.subarray(11, 11 + body.length)).toEqual(body);
    expect(bytes.readUInt32BE(11 + body.length)).toBe(11 + body.length);
  });

  it("serializes an empty body as a complete 15-byte tag", () => {
    const bytes = serializeFlvTag({
      type: TAG_TYPE.audio,
      kind: "other",
      timestamp: 7,
      body: Buffer.alloc(0),
    });
    expect(bytes).toEqual(Buffer.from([8, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 11]));
  });
});

describe("unwrapSetDataFrame", () => {
  it("removes the @setDataFrame string RTMP publishers put before onMetaData", () => {
    const onMetaData = Buffer.concat([amfString("onMetaData"), Buffer.from([0x08, 0, 0, 0, 0, 0, 0, 9])]);
    expect(unwrapSetDataFrame(Buffer.concat([amfString("@setDataFrame"), onMetaData]))).toEqual(onMetaData);
  });

  it("leaves a bare onMetaData body as it is", () => {
    const onMetaData = Buffer.concat([amfString("onMetaData"), Buffer.from([0x05])]);
    expect(unwrapSetDataFrame(onMetaData)).toBe(onMetaData);
  });

  it("leaves bodies that only resemble @setDataFrame as they are", () => {
    for (const body of [
      Buffer.alloc(0),
      amfString("@setDataFrame").subarray(0, 10),
      amfString("@setDataFramf"),
    ]) {
      expect(unwrapSetDataFrame(body)).toBe(body);
    }
  });
});
