import type { MediaTag } from "./media-tag.ts";

const TAG_HEADER_BYTES = 11;
const PREVIOUS_TAG_SIZE_BYTES = 4;

/** The FLV file header announcing audio and video, followed by PreviousTagSize0. */
export const FLV_HEADER: Buffer = Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x05, 0, 0, 0, 0x09, 0, 0, 0, 0]);

/** One complete FLV tag: 11-byte header, body, then the 4-byte PreviousTagSize. */
export function serializeFlvTag(tag: MediaTag): Buffer {
  const bodyBytes = tag.body.length;
  const buffer = Buffer.allocUnsafe(TAG_HEADER_BYTES + bodyBytes + PREVIOUS_TAG_SIZE_BYTES);
  buffer[0] = tag.type;
  buffer.writeUIntBE(bodyBytes, 1, 3);
  buffer.writeUIntBE(tag.timestamp & 0xffffff, 4, 3);
  buffer[7] = (tag.timestamp >>> 24) & 0xff;
  buffer.writeUIntBE(0, 8, 3);
  tag.body.copy(buffer, TAG_HEADER_BYTES);
  buffer.writeUInt32BE(TAG_HEADER_BYTES + bodyBytes, TAG_HEADER_BYTES + bodyBytes);
  return buffer;
}

/** AMF0 string "@setDataFrame": RTMP publishers wrap onMetaData in it; FLV and RTMP players expect it bare. */
const SET_DATA_FRAME = Buffer.from([0x02, 0x00, 0x0d, ...Buffer.from("@setDataFrame")]);

export function unwrapSetDataFrame(body: Buffer): Buffer {
  return body.subarray(0, SET_DATA_FRAME.length).equals(SET_DATA_FRAME)
    ? body.subarray(SET_DATA_FRAME.length)
    : body;
}
